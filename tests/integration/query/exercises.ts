/**
 * The seed's exercises (001 扩展查询 练习一/二, 调查练习) as query trees, and a fixture whose answers are
 * known by construction. "Today" is pinned to 2026-03-15, so last year is 2025 and this year 2026.
 */
export { exerciseA, exerciseB, exerciseC } from '../../../main/query/examples';
import type { FxCustomer, FxRepair, FxVehicle } from './fixture';

export const TODAY = '2026-03-15';

const accordHere = (bought: string, ros: Array<string | FxRepair>): FxVehicle => ({ model: 'Accord', here: true, bought, ros });

export const FIXTURE: FxCustomer[] = [
  { key: 'A1', tier: 'gold', mobile: '13800000001', vehicles: [accordHere('2020-05-01', ['2025-03-01', '2025-09-01'])] },
  { key: 'A2', tier: 'silver', mobile: '13800000002', vehicles: [accordHere('2023-06-01', ['2025-03-01', '2025-09-01', '2026-02-01'])] },
  { key: 'A3', tier: 'standard', vehicles: [{ model: 'Accord', here: false, bought: '2019-01-01', ros: ['2025-03-01', '2025-09-01'] }] },
  // Owns an Accord bought elsewhere and a Fit bought here: no single Accord bought here.
  {
    key: 'A4', tier: 'gold',
    vehicles: [
      { model: 'Accord', here: false, bought: '2019-01-01' },
      { model: 'Fit', here: true, bought: '2018-01-01', ros: ['2025-03-01', '2025-10-01'] },
    ],
  },
  // Two orders on one day are one visit.
  { key: 'A5', tier: 'gold', vehicles: [accordHere('2019-01-01', [{ on: '2025-04-01' }, { on: '2025-04-01', category: 'bodywork' }])] },
  { key: 'A6', tier: null, vehicles: [accordHere('2019-01-01', ['2025-02-01', '2025-05-01', '2025-08-01'])] },
  // Visits on two different vehicles count for the customer.
  {
    key: 'A7', tier: 'platinum',
    vehicles: [accordHere('2019-01-01', ['2025-02-01']), { model: 'Fit', here: false, bought: '2021-01-01', ros: ['2025-08-01'] }],
  },
  { key: 'A8', tier: 'gold', vehicles: [accordHere('2019-01-01', ['2025-02-01', { on: '2025-06-01', deleted: true }])] },
  { key: 'A9', tier: 'gold', deleted: true, vehicles: [accordHere('2019-01-01', ['2025-02-01', '2025-06-01'])] },
  // Boundaries of "more than 3 years ago" with today = 2026-03-15.
  { key: 'A10', tier: 'standard', vehicles: [accordHere('2023-03-14', ['2025-01-10', '2025-11-20'])] },
  { key: 'A11', tier: 'standard', vehicles: [accordHere('2023-03-15', ['2025-01-10', '2025-11-20'])] },
  { key: 'B1', vehicles: [{ model: 'Civic', ros: ['2025-12-31'] }] },
  { key: 'B2', vehicles: [{ model: 'Civic', ros: ['2025-06-01', '2026-01-05'] }] },
  { key: 'B3', vehicles: [{ model: 'Civic', ros: ['2024-06-01'] }] },
  { key: 'B4', vehicles: [{ model: 'Civic', ros: [{ on: '2025-06-01', deleted: true }] }] },
  { key: 'B5' },
  { key: 'C1', vehicles: [{ model: 'Fit', ros: ['2025-04-10'] }] },
  // The Accord came in during the window, the Fit did not.
  { key: 'C2', vehicles: [{ model: 'Fit', ros: ['2025-05-01'] }, { model: 'Accord', ros: ['2025-04-05'] }] },
  { key: 'C3', vehicles: [{ model: 'Fit', ros: ['2025-04-15'] }] },
  { key: 'C4', vehicles: [{ model: 'Fit', ros: ['2025-03-31'] }] },
  { key: 'C5', vehicles: [{ model: 'Fit', deleted: true, ros: ['2025-04-10'] }] },
];

export const EXPECTED = {
  a: ['A1', 'A7', 'A10'],
  b: ['A1', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A10', 'A11', 'B1', 'C1', 'C2', 'C3', 'C4', 'C5'],
  c: ['C1', 'C3'],
};
