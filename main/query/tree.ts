/**
 * The query tree: react-querybuilder's RuleGroupType (`{combinator, not?, rules}`, rule =
 * `{field, operator, value}`), so the UI's state is saved and compiled as is. `checkTree` validates it
 * against the catalog and returns a normalized tree; every problem comes back at once, each with a
 * dotted path to the bad rule (e.g. `rules.1.rules.0.value.window.year`) and a bilingual message.
 *
 * Disabled or muted rules and groups are left out, and so are groups left empty — as
 * react-querybuilder's own exports do. An empty query therefore matches every customer.
 */
import { z } from 'zod';
import { ServiceError } from '../rpc/errors';
import { queryNodeFields, queryTreeSchema, type QueryGroupShape, type QueryRuleShape } from '../../preload/channels/query';
import type { Bilingual } from '../../preload/messages';
import { findField, type FieldDef } from './catalog';
import { describeQueryIssue, queryMessages } from './messages';
import { isOperatorId, type OperatorId } from './operators';
import { valueSchema, type RuleValue } from './rule-values';

/** The tree's shape is the contract's (preload/channels/query.ts); this module adds the catalog checks. */
export type QueryRule = QueryRuleShape;
export type QueryGroup = QueryGroupShape;
export const queryGroupSchema = queryTreeSchema;

export interface CheckedRule {
  kind: 'rule';
  path: string;
  field: FieldDef;
  operator: OperatorId;
  value: RuleValue;
}
export interface CheckedGroup {
  kind: 'group';
  path: string;
  combinator: 'and' | 'or';
  not: boolean;
  children: Array<CheckedRule | CheckedGroup>;
}

export interface QueryIssue {
  path: string;
  message: Bilingual;
}

export class QueryError extends ServiceError {
  constructor(readonly problems: QueryIssue[]) {
    super('VALIDATION', queryMessages.invalidQuery, problems);
  }
}

const MAX_DEPTH = 8;
const MAX_RULES = 200;

const groupShape = z
  .object({ ...queryNodeFields, combinator: z.unknown().optional(), not: z.boolean().optional(), rules: z.array(z.unknown()) })
  .strict();
const ruleShape = z
  .object({ ...queryNodeFields, field: z.string(), operator: z.string(), value: z.unknown().optional(), valueSource: z.unknown().optional() })
  .strict();

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a raw tree (untrusted JSON) against the catalog; throws QueryError listing every problem. */
export function checkTree(raw: unknown): CheckedGroup {
  const issues: QueryIssue[] = [];
  let ruleCount = 0;
  /** Records a problem; returns null so a checker can `return report(...)` for the node it gives up on. */
  const report = (path: string, message: Bilingual): null => {
    issues.push({ path, message });
    return null;
  };
  const zodIssues = (path: string, error: z.ZodError): null => {
    for (const i of error.issues) report(i.path.reduce<string>((p, k) => join(p, String(k)), path), describeQueryIssue(i));
    return null;
  };

  function rule(node: Record<string, unknown>, path: string): CheckedRule | null {
    ruleCount++;
    const shape = ruleShape.safeParse(node);
    if (!shape.success) return zodIssues(path, shape.error);
    const r = shape.data;
    if (r.valueSource !== undefined && r.valueSource !== 'value') return report(join(path, 'valueSource'), queryMessages.valueSource);
    const field = findField(r.field);
    if (!field) return report(join(path, 'field'), queryMessages.unknownField);
    const op = r.operator;
    if (!isOperatorId(op) || !field.operators.includes(op)) return report(join(path, 'operator'), queryMessages.unknownOperator);
    const value = valueSchema(field, op).safeParse(r.value);
    if (!value.success) return zodIssues(join(path, 'value'), value.error);
    return { kind: 'rule', path, field, operator: op, value: value.data };
  }

  function group(node: unknown, path: string, depth: number): CheckedGroup | null {
    if (!isRecord(node)) return report(path, queryMessages.notObject);
    if (depth > MAX_DEPTH) return report(path, queryMessages.tooDeep);
    const shape = groupShape.safeParse(node);
    if (!shape.success) return zodIssues(path, shape.error);
    const g = shape.data;
    if (g.combinator !== 'and' && g.combinator !== 'or') report(join(path, 'combinator'), queryMessages.combinator);
    const children: Array<CheckedRule | CheckedGroup> = [];
    g.rules.forEach((child, i) => {
      const childPath = join(path, `rules.${i}`);
      if (!isRecord(child)) {
        report(childPath, queryMessages.notObject);
        return;
      }
      if (child.disabled === true || child.muted === true) return;
      const checked = 'rules' in child ? group(child, childPath, depth + 1) : rule(child, childPath);
      if (checked && (checked.kind === 'rule' || checked.children.length > 0)) children.push(checked);
    });
    return { kind: 'group', path, combinator: g.combinator === 'or' ? 'or' : 'and', not: g.not ?? false, children };
  }

  const root = group(raw, '', 1);
  if (ruleCount > MAX_RULES) report('', queryMessages.tooMany);
  if (issues.length > 0 || !root) throw new QueryError(issues.length > 0 ? issues : [{ path: '', message: queryMessages.notObject }]);
  return root;
}
