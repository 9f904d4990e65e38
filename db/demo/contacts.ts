/**
 * A few timeline entries per customer (service follow-up surveys, reminder calls and SMS, inbound
 * enquiries, notes, the odd complaint) anchored on the customer's workshop visits.
 */
import type { ContactEventKind } from '../schema';
import { Random, Weighted } from './random';

export interface ContactDraft {
  kind: ContactEventKind;
  day: number;
  secondsIntoDay: number;
  summary: string;
  detail: Record<string, unknown> | null;
  /** Whether an agent (rather than the SMS gateway) did it. */
  byAgent: boolean;
  vehicleId: string | null;
}

export interface Visit {
  openedDay: number;
  closedDay: number | null;
  roNo: string;
  plate: string | null;
  vehicleId: string;
}

const KINDS = new Weighted<ContactEventKind>([
  ['survey', 30],
  ['call_out', 22],
  ['sms_out', 20],
  ['call_in', 15],
  ['note', 10],
  ['complaint', 3],
]);

const ENQUIRIES = ['咨询保养价格', '预约周六上午保养', '咨询车险续保', '咨询二手车置换政策', '询问配件到货时间', '咨询延保服务'];
const NOTES = ['客户偏好周末上午到店', '客户要求只发短信，不要来电', '客户对价格比较敏感，报价需详细', '客户家中另有一辆车在其他品牌店保养', '客户下次保养希望预约固定服务顾问'];
const COMPLAINTS = ['等待交车时间过长', '洗车不干净', '报价与结算金额不一致'];
const CALL_RESULTS = ['已预约到店', '无人接听', '客户考虑中', '客户已在外保养'];
const SATISFACTION = ['非常满意', '满意', '一般', '不满意'];

/** Office hours in China (UTC+8) are 01:00–10:00 UTC. */
function officeSeconds(rng: Random): number {
  return rng.int(3600, 36_000);
}

export function contactHistory(rng: Random, visits: readonly Visit[], honorific: string, todayDay: number): ContactDraft[] {
  if (visits.length === 0 || !rng.chance(0.35)) return [];
  const drafts: ContactDraft[] = [];
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) {
    const visit = rng.pick(visits);
    const after = (visit.closedDay ?? visit.openedDay) + rng.int(1, 5);
    const kind = KINDS.pick(rng);
    const draft = ((): Omit<ContactDraft, 'secondsIntoDay' | 'vehicleId'> => {
      switch (kind) {
        case 'survey': {
          const score = rng.int(1, 4);
          return {
            kind, day: after, byAgent: true,
            summary: `服务回访（${visit.roNo}）：客户表示${SATISFACTION[4 - score] ?? '满意'}`,
            detail: { roNo: visit.roNo, score: score + 1 },
          };
        }
        case 'call_out': {
          const result = rng.pick(CALL_RESULTS);
          return { kind, day: visit.openedDay + rng.int(150, 200), byAgent: true, summary: `保养到期提醒电话：${result}`, detail: { result } };
        }
        case 'sms_out':
          return {
            kind, day: visit.openedDay + rng.int(140, 180), byAgent: false,
            summary: `【花城本田】尊敬的${honorific}，您的爱车${visit.plate ?? ''}已到保养周期，欢迎预约回厂保养。`,
            detail: { template: 'maintenance_due' },
          };
        case 'call_in': {
          const topic = rng.pick(ENQUIRIES);
          return { kind, day: after + rng.int(0, 120), byAgent: true, summary: `来电${topic}`, detail: { topic } };
        }
        case 'note':
          return { kind, day: after, byAgent: true, summary: rng.pick(NOTES), detail: null };
        default: {
          const reason = rng.pick(COMPLAINTS);
          return { kind: 'complaint', day: after, byAgent: true, summary: `客户投诉：${reason}`, detail: { roNo: visit.roNo, reason } };
        }
      }
    })();
    if (draft.day > todayDay) continue;
    const aboutVehicle = draft.kind !== 'call_in' && draft.kind !== 'note';
    drafts.push({ ...draft, secondsIntoDay: officeSeconds(rng), vehicleId: aboutVehicle ? visit.vehicleId : null });
  }
  return drafts;
}
