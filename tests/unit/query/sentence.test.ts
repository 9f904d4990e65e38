import { describe, expect, it } from 'vitest';
import { shift, todayIn } from '../../../main/query/dates';
import { renderSentence } from '../../../main/query/sentence';
import { checkTree } from '../../../main/query/tree';

const zh = (tree: unknown, opts = {}) => renderSentence(checkTree(tree), 'zh', opts);
const en = (tree: unknown, opts = {}) => renderSentence(checkTree(tree), 'en', opts);

describe('sentences', () => {
  it('render the spec example word for word', () => {
    const tree = {
      combinator: 'and',
      rules: [
        { field: 'vehicle.model', operator: '=', value: 'Accord' },
        { field: 'vehicle.purchasedHere', operator: '=', value: true },
        { field: 'vehicle.purchaseDate', operator: 'olderThan', value: { amount: 3, unit: 'year' } },
        { field: 'repair.visits', operator: '>=', value: { window: { kind: 'year', year: 2025 }, count: 2 } },
        { field: 'member.isMember', operator: '=', value: true },
      ],
    };
    expect(zh(tree, { modelNamesZh: { Accord: '雅阁' } })).toBe(
      '车型为 雅阁 且 在本店购买 且 购车日期 早于 3 年前 且 2025 年进厂次数 ≥ 2 且 是会员',
    );
    expect(en(tree)).toBe('model is Accord and bought here and purchase date more than 3 years ago and visits in 2025 ≥ 2 and is a member');
  });

  it('bracket nested groups, word negations, lists, enums, staff names and money', () => {
    const staffId = '01K00000000000000000000AAA';
    const tree = {
      combinator: 'or',
      rules: [
        { combinator: 'and', not: true, rules: [{ field: 'member.tier', operator: 'in', value: ['gold', 'platinum'] }, { field: 'member.isMember', operator: '=', value: false }] },
        { field: 'customer.staff', operator: '=', value: staffId },
        { field: 'repair.spend', operator: '>', value: { window: { kind: 'last', amount: 12, unit: 'month' }, yuan: 1500.5, categories: ['maintenance'] } },
        { field: 'repair.category', operator: 'notIn', value: { window: { kind: 'relYear', offset: 0 }, categories: ['first_service', 'warranty'] } },
        { field: 'customer.city', operator: 'null' },
        { field: 'vehicle.mileage', operator: 'between', value: [10000, 20000] },
      ],
    };
    const names = new Map([[staffId, '王芳']]);
    expect(zh(tree, { staffNames: names })).toBe(
      '不满足（会员等级为 金卡、白金卡 之一 且 不是会员） 或 负责专员为 王芳 或 最近 12 个月消费金额（保养） > 1500.5 元 或 ' +
        '今年进厂项目不含 首保、索赔 或 城市为空 或 行驶里程在 10000 公里 至 20000 公里 之间',
    );
    expect(en(tree, { staffNames: names })).toBe(
      'not (member tier is one of Gold or Platinum and is not a member) or responsible agent is 王芳 or ' +
        'spend (maintenance) in the last 12 months > 1500.5 yuan or visit type this year includes none of first service or warranty or ' +
        'city is empty or mileage between 10000 km and 20000 km',
    );
  });

  it('say "all customers" for an empty query', () => {
    expect(zh({ combinator: 'and', rules: [] })).toBe('全部客户');
    expect(en({ combinator: 'or', rules: [] })).toBe('all customers');
  });
});

describe('calendar arithmetic', () => {
  it('clamps month ends and crosses years', () => {
    expect(shift('2024-02-29', -1, 'year')).toBe('2023-02-28');
    expect(shift('2026-03-31', -1, 'month')).toBe('2026-02-28');
    expect(shift('2026-01-15', -13, 'month')).toBe('2024-12-15');
    expect(shift('2026-03-01', -1, 'day')).toBe('2026-02-28');
  });
  it('takes today in the dealer’s zone, not UTC', () => {
    expect(todayIn(new Date('2026-03-14T17:30:00Z'))).toBe('2026-03-15');
    expect(todayIn(new Date('2026-03-14T15:30:00Z'))).toBe('2026-03-14');
  });
});
