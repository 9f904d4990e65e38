/**
 * The query builder's shared state: the catalog from the host, the tree being edited (react-querybuilder's
 * RuleGroupType), its live preview (sentence + count) and the problems the host found, keyed by rule
 * path so each value editor can show its own.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import { create } from 'zustand';
import type { RequestOutput } from '../../../preload/contract';
import type { Bilingual } from '../../../preload/messages';
import type { QueryCatalogEntry, QueryGroupShape, QueryRuleShape, SavedQueryDto } from '../../../preload/channels/query';
import { call } from '../../api';
import { errorBody } from '../../app/errors';

export type Catalog = RequestOutput<'query.catalog'>;

export interface Preview {
  sentence: Bilingual;
  count: number;
}

interface QueryState {
  catalog: Catalog | null;
  entries: ReadonlyMap<string, QueryCatalogEntry>;
  tree: RuleGroupType;
  /** The saved query the tree came from, if any. */
  loaded: SavedQueryDto | null;
  preview: Preview | null;
  previewing: boolean;
  /** Host problems: rule path ('1.0') → messages; '' for the whole query. */
  problems: ReadonlyMap<string, Bilingual[]>;
  problemSummary: Bilingual | null;
  loadCatalog(): Promise<void>;
  setTree(tree: RuleGroupType): void;
  load(tree: QueryGroupShape, saved: SavedQueryDto | null): void;
  refreshPreview(): Promise<void>;
}

export const emptyTree = (): RuleGroupType => ({ combinator: 'and', rules: [] });

function isGroup(r: RuleType | RuleGroupType | string): r is RuleGroupType {
  return typeof r === 'object' && 'rules' in r;
}

/** react-querybuilder's tree → the contract's tree (same shape; combinators narrowed). */
export function toShape(group: RuleGroupType): QueryGroupShape {
  const rules: Array<QueryRuleShape | QueryGroupShape> = [];
  for (const r of group.rules) {
    if (typeof r === 'string') continue;
    if (isGroup(r)) rules.push(toShape(r));
    else {
      const value: unknown = r.value;
      rules.push({
        ...(r.id ? { id: r.id } : {}),
        field: r.field,
        operator: r.operator,
        value,
        ...(r.disabled ? { disabled: true } : {}),
      });
    }
  }
  return {
    ...(group.id ? { id: group.id } : {}),
    combinator: group.combinator === 'or' ? 'or' : 'and',
    ...(group.not ? { not: true } : {}),
    ...(group.disabled ? { disabled: true } : {}),
    rules,
  };
}

/** The contract's tree → react-querybuilder's tree (ids are added by the builder). */
export function fromShape(group: QueryGroupShape): RuleGroupType {
  return {
    combinator: group.combinator,
    ...(group.not ? { not: true } : {}),
    rules: group.rules.map((r) => ('rules' in r ? fromShape(r) : { field: r.field, operator: r.operator, value: r.value })),
  };
}

/** Whether two trees ask the same question (ignoring the ids the builder adds). */
export function sameTree(a: QueryGroupShape, b: QueryGroupShape): boolean {
  const strip = (g: QueryGroupShape): unknown => ({
    c: g.combinator,
    n: g.not ?? false,
    d: g.disabled ?? false,
    r: g.rules.map((r) => ('rules' in r ? strip(r) : { f: r.field, o: r.operator, v: r.value ?? null, d: r.disabled ?? false })),
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** 'tree.rules.1.rules.0.value.count' → '1.0' (the rule's path as react-querybuilder numbers it). */
export function rulePathOf(issuePath: string): string {
  const parts = issuePath.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) if (parts[i] === 'rules' && /^\d+$/.test(parts[i + 1] ?? '')) out.push(parts[i + 1] ?? '');
  return out.join('.');
}

let previewSeq = 0;

export const useQueryStore = create<QueryState>((set, get) => ({
  catalog: null,
  entries: new Map(),
  tree: emptyTree(),
  loaded: null,
  preview: null,
  previewing: false,
  problems: new Map(),
  problemSummary: null,

  async loadCatalog() {
    if (get().catalog) return;
    const catalog = await call('query.catalog', {});
    set({ catalog, entries: new Map(catalog.fields.map((f) => [f.id, f])) });
  },

  setTree(tree) {
    set({ tree });
  },

  load(tree, saved) {
    set({ tree: fromShape(tree), loaded: saved });
  },

  async refreshPreview() {
    const seq = ++previewSeq;
    set({ previewing: true });
    try {
      const preview = await call('query.preview', { tree: toShape(get().tree) });
      if (seq === previewSeq) set({ preview, problems: new Map(), problemSummary: null, previewing: false });
    } catch (error) {
      if (seq !== previewSeq) return;
      const body = errorBody(error);
      const problems = new Map<string, Bilingual[]>();
      for (const issue of body.issues ?? []) {
        const key = rulePathOf(issue.path);
        problems.set(key, [...(problems.get(key) ?? []), issue.message]);
      }
      set({ preview: null, problems, problemSummary: body.message, previewing: false });
    }
  },
}));
