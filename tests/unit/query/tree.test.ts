import { describe, expect, it } from 'vitest';
import { checkTree, QueryError, type QueryIssue } from '../../../main/query/tree';

function problems(tree: unknown): QueryIssue[] {
  try {
    checkTree(tree);
  } catch (e) {
    if (e instanceof QueryError) return e.problems;
    throw e;
  }
  throw new Error('expected the tree to be rejected');
}

const rule = (field: string, operator: string, value?: unknown) => ({ field, operator, value });

describe('checkTree', () => {
  it('accepts react-querybuilder output with ids, paths, valueSource and comma-separated lists', () => {
    const tree = checkTree({
      id: 'root',
      combinator: 'and',
      not: false,
      rules: [
        { id: 'r1', path: [0], field: 'customer.city', operator: 'in', value: '广州, 佛山', valueSource: 'value' },
        { id: 'g1', combinator: 'or', rules: [rule('vehicle.mileage', 'between', '10000,20000'), rule('customer.name', 'null', '')] },
      ],
    });
    expect(tree.children[0]).toMatchObject({ kind: 'rule', value: { kind: 'list', v: ['广州', '佛山'] } });
    expect(tree.children[1]).toMatchObject({ kind: 'group', combinator: 'or', children: [{ value: { kind: 'range', v: [10000, 20000] } }, { value: { kind: 'none' } }] });
  });

  it('drops disabled and muted rules and the groups they leave empty', () => {
    const tree = checkTree({
      combinator: 'and',
      rules: [
        { ...rule('customer.name', '=', 'x'), disabled: true },
        { combinator: 'or', rules: [{ ...rule('nope', '=', 1), muted: true }] },
        { combinator: 'or', rules: [] },
        rule('member.isMember', '=', true),
      ],
    });
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({ path: 'rules.3' });
  });

  it('reports every bad rule at once, with its path and a bilingual message', () => {
    const found = problems({
      combinator: 'and',
      rules: [
        rule('customer.shoeSize', '=', 42),
        rule('customer.name', 'olderThan', { amount: 3, unit: 'year' }),
        { combinator: 'or', rules: [rule('vehicle.purchaseDate', 'olderThan', { amount: -1, unit: 'decade' })] },
        rule('repair.visits', '>=', { window: { kind: 'year', year: 25 }, count: 2 }),
        rule('vehicle.purchaseDate', 'between', ['2025-05-01', '2025-04-01']),
        rule('customer.birthMonth', '=', 13),
        rule('member.tier', 'in', ['gold', 'diamond']),
        rule('vehicle.purchaseDate', '<', '2025-02-30'),
      ],
    });
    const paths = found.map((p) => p.path);
    expect(paths).toEqual([
      'rules.0.field',
      'rules.1.operator',
      'rules.2.rules.0.value.amount',
      'rules.2.rules.0.value.unit',
      'rules.3.value.window.year',
      'rules.4.value',
      'rules.5.value',
      'rules.6.value.1',
      'rules.7.value',
    ]);
    for (const p of found) {
      expect(p.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.message.en).toMatch(/[a-z]/);
    }
    expect(found[0]?.message.zh).toBe('没有这个查询字段');
    expect(found[4]?.message.en).toBe('The number is out of range');
  });

  it('rejects what is not a tree: wrong types, unknown keys, field-valued rules, bad combinators, depth', () => {
    expect(problems(null)[0]?.path).toBe('');
    expect(problems({ combinator: 'xor', rules: [] }).map((p) => p.path)).toEqual(['combinator']);
    expect(problems({ combinator: 'and', rules: [rule('customer.name', '=', 'a'), 7] }).map((p) => p.path)).toEqual(['rules.1']);
    expect(problems({ combinator: 'and', rules: [{ ...rule('customer.name', '=', 'a'), sql: 'drop table customer' }] })[0]?.path).toBe('rules.0');
    expect(problems({ combinator: 'and', rules: [{ ...rule('customer.name', '=', 'customer.city'), valueSource: 'field' }] })[0]?.path).toBe(
      'rules.0.valueSource',
    );
    let deep: unknown = { combinator: 'and', rules: [rule('customer.name', '=', 'a')] };
    for (let i = 0; i < 9; i++) deep = { combinator: 'and', rules: [deep] };
    expect(problems(deep)[0]?.message.en).toMatch(/nested too deeply/);
    const many = { combinator: 'or', rules: Array.from({ length: 201 }, () => rule('customer.name', '=', 'a')) };
    expect(problems(many).some((p) => /Too many/.test(p.message.en))).toBe(true);
  });

  it('an empty query is valid and matches everyone', () => {
    expect(checkTree({ combinator: 'and', rules: [] }).children).toEqual([]);
  });
});
