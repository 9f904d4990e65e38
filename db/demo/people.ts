/**
 * Who the demo dealer's customers are: Chinese names drawn from a surname frequency table, mobiles with
 * real carrier prefixes, landlines and addresses in the Pearl River Delta cities a Guangzhou store serves.
 */
import { Random, Weighted } from './random';

// Approximate national frequencies (per mille), with 陈, 黄, 林, 梁 and 何 raised as they are in Guangdong.
const SURNAMES = new Weighted<string>([
  ['王', 72], ['李', 72], ['张', 68], ['刘', 54], ['陈', 70], ['杨', 31], ['黄', 40], ['赵', 23], ['吴', 25],
  ['周', 19], ['徐', 16], ['孙', 15], ['马', 12], ['朱', 12], ['胡', 11], ['郭', 10], ['何', 16], ['高', 10],
  ['林', 18], ['罗', 12], ['郑', 10], ['梁', 16], ['谢', 9], ['宋', 6], ['唐', 6], ['许', 6], ['韩', 5],
  ['冯', 6], ['邓', 8], ['曹', 5], ['彭', 5], ['曾', 8], ['肖', 5], ['田', 4], ['董', 4], ['袁', 4],
  ['潘', 5], ['于', 4], ['蒋', 4], ['蔡', 6], ['余', 5], ['杜', 3], ['叶', 6], ['程', 3], ['苏', 4],
  ['魏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['沈', 3], ['姚', 3], ['卢', 5], ['姜', 3], ['崔', 2],
  ['钟', 5], ['谭', 4], ['陆', 2], ['汪', 2], ['范', 2], ['金', 2], ['石', 2], ['廖', 4], ['贾', 2],
  ['夏', 2], ['韦', 3], ['付', 2], ['方', 2], ['白', 2], ['邹', 2], ['孟', 2], ['熊', 2], ['秦', 2],
  ['邱', 3], ['江', 2], ['尹', 2], ['薛', 1], ['段', 1], ['雷', 1], ['侯', 1], ['龙', 1], ['史', 1],
  ['陶', 1], ['黎', 3], ['贺', 1], ['顾', 1], ['毛', 1], ['龚', 1], ['邵', 1], ['万', 1], ['严', 1],
  ['莫', 2], ['温', 2], ['欧阳', 1], ['司徒', 1], ['区', 1], ['冼', 1],
]);

const MALE_SINGLE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳峰亮东海斌彬锋';
const FEMALE_SINGLE = '芳娜敏静丽艳娟霞秀玲燕婷雪慧莹倩琳颖洁欣怡佳梅萍红丹晶璐薇雯悦月';
const MALE_FIRST = '建志子嘉俊家文晓国永振立明伟浩宇天少';
const MALE_SECOND = '华明军伟强杰豪辉峰林东涛平斌轩成荣坤宏然森';
const FEMALE_FIRST = '晓雅思欣丽美春秋海嘉佳慧小婉紫诗雨';
const FEMALE_SECOND = '玲婷敏华红芳琳颖怡琪雯丹娜莹燕萍霞婷瑶慧';

function char(rng: Random, pool: string): string {
  return pool.charAt(rng.int(0, pool.length - 1));
}

export function personName(rng: Random, gender: 'M' | 'F'): string {
  const surname = SURNAMES.pick(rng);
  if (rng.chance(0.35)) return surname + char(rng, gender === 'M' ? MALE_SINGLE : FEMALE_SINGLE);
  return gender === 'M'
    ? surname + char(rng, MALE_FIRST) + char(rng, MALE_SECOND)
    : surname + char(rng, FEMALE_FIRST) + char(rng, FEMALE_SECOND);
}

// China Mobile 134–139/147/150–152/157–159/178/182–184/187/188/198, Unicom 130–132/155/156/166/175/176/185/186,
// Telecom 133/153/173/177/180/181/189/191/199; the weights favour the long-established ranges.
const MOBILE_PREFIXES = new Weighted<string>([
  ['134', 4], ['135', 8], ['136', 8], ['137', 8], ['138', 10], ['139', 10], ['130', 5], ['131', 5], ['132', 4],
  ['133', 4], ['150', 5], ['151', 4], ['152', 4], ['153', 3], ['155', 3], ['156', 3], ['157', 2], ['158', 5],
  ['159', 5], ['166', 1], ['173', 1], ['175', 1], ['176', 2], ['177', 2], ['178', 2], ['180', 3], ['181', 3],
  ['182', 3], ['183', 2], ['185', 3], ['186', 4], ['187', 3], ['188', 3], ['189', 4], ['191', 1], ['198', 1],
  ['199', 1],
]);

/** A mobile number not yet in `taken` (which it joins). */
export function uniqueMobile(rng: Random, taken: Set<string>): string {
  for (;;) {
    const mobile = MOBILE_PREFIXES.pick(rng) + rng.digits(8);
    if (!taken.has(mobile)) {
      taken.add(mobile);
      return mobile;
    }
  }
}

export interface CityProfile {
  city: string;
  areaCode: string;
  platePrefix: string;
  districts: readonly string[];
  roads: readonly string[];
}

export const CITIES: readonly CityProfile[] = [
  {
    city: '广州',
    areaCode: '020',
    platePrefix: '粤A',
    districts: ['天河区', '越秀区', '海珠区', '荔湾区', '白云区', '番禺区', '黄埔区', '花都区', '南沙区', '增城区', '从化区'],
    roads: ['天河路', '中山大道', '黄埔大道', '广州大道中', '体育西路', '环市东路', '东风中路', '江南大道中', '工业大道', '新港中路', '解放北路', '广园中路', '机场路', '市桥光明北路', '南沙港快速路', '同和路', '沙太路', '滨江东路'],
  },
  {
    city: '佛山',
    areaCode: '0757',
    platePrefix: '粤E',
    districts: ['禅城区', '南海区', '顺德区', '三水区', '高明区'],
    roads: ['季华路', '佛山大道', '汾江中路', '桂澜路', '南海大道', '大良府又路', '祖庙路'],
  },
  {
    city: '东莞',
    areaCode: '0769',
    platePrefix: '粤S',
    districts: ['南城街道', '东城街道', '莞城街道', '万江街道', '虎门镇', '长安镇', '松山湖'],
    roads: ['鸿福路', '东莞大道', '元美路', '东城中路', '莞太路', '长青路'],
  },
  {
    city: '深圳',
    areaCode: '0755',
    platePrefix: '粤B',
    districts: ['福田区', '南山区', '宝安区', '龙岗区', '罗湖区', '龙华区'],
    roads: ['深南大道', '滨海大道', '北环大道', '宝安大道', '龙岗大道', '科技园路', '红岭中路'],
  },
];

const CITY_WEIGHTS = new Weighted<CityProfile>(
  CITIES.map((c) => [c, c.city === '广州' ? 80 : c.city === '佛山' ? 9 : c.city === '东莞' ? 6 : 5] as const),
);

export function pickCity(rng: Random): CityProfile {
  return CITY_WEIGHTS.pick(rng);
}

export function address(rng: Random, city: CityProfile): string {
  const base = `${rng.pick(city.districts)}${rng.pick(city.roads)}${rng.int(1, 999)}号`;
  return rng.chance(0.6) ? `${base}${rng.int(1, 32)}栋${rng.int(1, 33)}0${rng.int(1, 8)}房` : base;
}

/** A landline as the contract normalizes it: area code and 8 digits, no dash. */
export function landline(rng: Random, city: CityProfile): string {
  return city.areaCode + String(rng.int(2, 8)) + rng.digits(7);
}

/** Birthdays 1950–2004, most customers born in the 1970s and 1980s. */
const BIRTH_DECADES = new Weighted<number>([[1950, 5], [1960, 15], [1970, 30], [1980, 32], [1990, 15], [2000, 3]]);

export function birthday(rng: Random): string {
  const decade = BIRTH_DECADES.pick(rng);
  const year = Math.min(2004, decade + rng.int(0, 9));
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
