/**
 * The seed's exercises (001 扩展查询 练习一/二 and the survey exercise) as query trees: acceptance tests and
 * the benchmark run them, and the UI can offer them as starting points ("新建查询 → 从示例开始").
 * Relative windows ("last year") keep their meaning when the saved query is run again next year.
 */
import type { QueryGroup } from './tree';

/** (a) Accord owners who bought here more than 3 years ago, visited 2+ times last year, and are members. */
export const exerciseA: QueryGroup = {
  combinator: 'and',
  rules: [
    { field: 'vehicle.model', operator: '=', value: 'Accord' },
    { field: 'vehicle.purchasedHere', operator: '=', value: true },
    { field: 'vehicle.purchaseDate', operator: 'olderThan', value: { amount: 3, unit: 'year' } },
    { field: 'repair.visits', operator: '>=', value: { window: { kind: 'relYear', offset: -1 }, count: 2 } },
    { field: 'member.isMember', operator: '=', value: true },
  ],
};

/** (b) Customers who visited last year but not this year (lapsed: 流失客户招揽). */
export const exerciseB: QueryGroup = {
  combinator: 'and',
  rules: [
    { field: 'repair.visits', operator: '>=', value: { window: { kind: 'relYear', offset: -1 }, count: 1 } },
    { field: 'repair.visits', operator: '=', value: { window: { kind: 'relYear', offset: 0 }, count: 0 } },
  ],
};

/** (c) Fit owners whose Fit was repaired between two dates (the survey list). */
export function exerciseC(from: string, to: string): QueryGroup {
  return {
    combinator: 'and',
    rules: [
      { field: 'vehicle.model', operator: '=', value: 'Fit' },
      { field: 'vehicle.visits', operator: '>=', value: { window: { kind: 'between', from, to }, count: 1 } },
    ],
  };
}
