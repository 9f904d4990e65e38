import { describe, expect, it } from 'vitest';
import { MAX_LISTED_CARS, mergeValues, mergeValuesForCars, type DealerProfile, type MergeRow } from '../../../main/campaigns/merge';

const dealer: DealerProfile = { name: '广州花城本田汽车销售服务有限公司', shortName: '花城本田', phone: '020-38886666', address: null, modelNames: { Accord: '雅阁', Civic: '思域' } };
const row = (over: Partial<MergeRow>): MergeRow => ({
  customer_name: '李强', gender: 'M', address: null, member_tier: null, plate: '粤A12345', model: 'Accord', vin: 'LHG1', mileage_km: 15000,
  due_on: '2026-03-01', gift: null, campaign_name: '定期保养招揽', ...over,
});

describe('merge values for one SMS about several cars', () => {
  it('is exactly the single-car values for one car, with 车辆列表 as model and plate', () => {
    const one = row({});
    expect(mergeValuesForCars([one], dealer, '2026-02-21')).toEqual(mergeValues(one, dealer, '2026-02-21'));
    expect(mergeValues(one, dealer, '2026-02-21').vehicleList).toBe('雅阁 粤A12345');
    expect(mergeValues(row({ plate: null }), dealer, '2026-02-21').vehicleList).toBe('雅阁');
  });

  it('lists every car in order joined with 、, each model once, and keeps the first (most urgent) car’s date', () => {
    const v = mergeValuesForCars(
      [row({}), row({ plate: '粤B67890', model: 'Civic', vin: 'LHG2', mileage_km: 8000, due_on: '2026-03-05' }), row({ plate: '粤C11111', vin: 'LHG3', mileage_km: null, due_on: '2026-03-09' })],
      dealer,
      '2026-02-21',
    );
    expect(v).toMatchObject({
      plate: '粤A12345、粤B67890、粤C11111',
      model: '雅阁、思域',
      vehicleList: '雅阁 粤A12345、思域 粤B67890、雅阁 粤C11111',
      vin: 'LHG1、LHG2、LHG3',
      mileage: '15000、8000',
      dueDate: '2026-03-01',
      salutation: '李先生',
    });
  });

  it('leaves out a car without a plate from 车牌 but still names its model in 车辆列表', () => {
    const v = mergeValuesForCars([row({ plate: null }), row({ plate: '粤B67890', model: 'Civic' })], dealer, '2026-02-21');
    expect(v).toMatchObject({ plate: '粤B67890', vehicleList: '雅阁、思域 粤B67890' });
  });

  it('names the first MAX_LISTED_CARS cars of a fleet and how many there are; models once each, cut the same way', () => {
    const models = ['Accord', 'Civic', 'CR-V', 'Fit', 'City', 'Vezel', 'Breeze'];
    const rows = Array.from({ length: 12 }, (_, i) => row({ plate: `粤A0000${i}`.slice(-7), model: models[i % models.length] ?? 'Accord', vin: `LHG${i}`, mileage_km: 1000 * i }));
    const v = mergeValuesForCars(rows as [MergeRow, ...MergeRow[]], dealer, '2026-02-21');
    expect(MAX_LISTED_CARS).toBe(5);
    expect(v.plate).toBe(`${rows.slice(0, 5).map((r) => r.plate).join('、')}等12辆`);
    expect(v.vehicleList).toBe('雅阁 粤A00000、思域 粤A00001、CR-V 粤A00002、Fit 粤A00003、City 粤A00004等12辆');
    expect(v.vin).toBe('LHG0、LHG1、LHG2、LHG3、LHG4等12辆');
    expect(v.mileage).toBe('0、1000、2000、3000、4000等12辆');
    expect(v.model).toBe('雅阁、思域、CR-V、Fit、City等');
    // Exactly five are listed as they are.
    expect(mergeValuesForCars(rows.slice(0, 5) as [MergeRow, ...MergeRow[]], dealer, '2026-02-21').plate).toBe(rows.slice(0, 5).map((r) => r.plate).join('、'));
  });
});
