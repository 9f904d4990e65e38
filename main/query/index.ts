/**
 * The query builder (扩展查询): field catalog, tree validation, compiler, sentences, saved queries,
 * result pages, Excel export and campaign preparation. Plain Node; the contract handlers are built by
 * `createQueryHandlers` (handlers.ts) from this service, so `handlers` here stays empty.
 */
import type { DbHandle } from '../../db/connection';
import type { HandlerMap } from '../rpc';
import { prepareCampaign, type CampaignOptions, type CampaignPreparation, type ContactPolicy } from './campaign';
import { describeCatalog, type CatalogEntry } from './describe';
import { todayIn } from './dates';
import { exportWorkbook, type ExportOptions } from './export';
import { countMatching, matchingIds, pageMatching, type PageOptions, type ResultRow } from './run';
import { createSavedQueries, type SavedQueries } from './saved';
import { renderSentence, type Lang, type SentenceOptions } from './sentence';
import { checkTree, type CheckedGroup } from './tree';

export { QueryError, queryGroupSchema, type QueryGroup, type QueryRule, type QueryIssue } from './tree';
export type { CatalogEntry, CampaignPreparation, ContactPolicy, Lang, ResultRow, SavedQueries };
export type { SavedQuery, SavedQueryInput, Viewer } from './saved';

export interface QueryDeps {
  handle: DbHandle;
  /** Wall clock; "today" for relative dates is its date in `timeZone`. Injected by tests. */
  clock?: () => Date;
  timeZone?: string;
  /** Opt-out and do-not-contact sources (SMS "TD" replies, per-purpose flags) when those features exist. */
  contactPolicy?: ContactPolicy;
  /** Chinese names for models stored in English, for sentences and exports. */
  modelNamesZh?: Readonly<Record<string, string>>;
}

export interface RunScope {
  dealerId: string;
  /** Overrides the clock's date ('YYYY-MM-DD'), e.g. to preview a saved query as of another day. */
  today?: string;
}

export function createQuery(deps: QueryDeps) {
  const { db } = deps.handle;
  const clock = deps.clock ?? (() => new Date());
  const timeZone = deps.timeZone ?? 'Asia/Shanghai';
  const options = (scope: RunScope) => ({ dealerId: scope.dealerId, today: scope.today ?? todayIn(clock(), timeZone) });
  const staffNames = async (dealerId: string) => {
    const rows = await db.selectFrom('staff').select(['id', 'display_name']).where('dealer_id', '=', dealerId).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  };

  const api = {
    /** Today's date ('YYYY-MM-DD') in the dealer's time zone: what relative dates count from. */
    today(): string {
      return todayIn(clock(), timeZone);
    },
    /** The catalog as plain data for the UI (labels, types, operators, options, value shapes). */
    catalog(): CatalogEntry[] {
      return describeCatalog();
    },
    /** Validates an untrusted tree; throws QueryError (VALIDATION, bilingual, with paths). */
    check(tree: unknown): CheckedGroup {
      return checkTree(tree);
    },
    async sentence(tree: unknown, lang: Lang, scope: RunScope): Promise<string> {
      const opts: SentenceOptions = { staffNames: await staffNames(scope.dealerId), modelNamesZh: deps.modelNamesZh ?? {} };
      return renderSentence(checkTree(tree), lang, opts);
    },
    async count(tree: unknown, scope: RunScope): Promise<number> {
      return countMatching(db, checkTree(tree), options(scope));
    },
    async page(tree: unknown, scope: RunScope & PageOptions): Promise<{ total: number; rows: ResultRow[] }> {
      return pageMatching(db, checkTree(tree), { ...options(scope), offset: scope.offset, limit: scope.limit });
    },
    async ids(tree: unknown, scope: RunScope): Promise<string[]> {
      return matchingIds(deps.handle, checkTree(tree), options(scope));
    },
    async exportXlsx(tree: unknown, scope: RunScope & Omit<ExportOptions, 'sentence'>): Promise<{ fileName: string; data: Buffer; rows: number }> {
      const checked = checkTree(tree);
      const sentence = renderSentence(checked, scope.lang, { staffNames: await staffNames(scope.dealerId), modelNamesZh: deps.modelNamesZh ?? {} });
      const ids = matchingIds(deps.handle, checked, options(scope));
      return exportWorkbook(db, ids, { lang: scope.lang, title: scope.title, sentence, modelNamesZh: deps.modelNamesZh ?? {} });
    },
    async prepareCampaign(tree: unknown, scope: RunScope & CampaignOptions): Promise<CampaignPreparation> {
      const ids = matchingIds(deps.handle, checkTree(tree), options(scope));
      return prepareCampaign(db, ids, scope, deps.contactPolicy);
    },
    saved: createSavedQueries(db, clock),
  };

  const handlers: HandlerMap = {};
  return { handlers, ...api };
}

export type QueryService = ReturnType<typeof createQuery>;
