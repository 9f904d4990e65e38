/**
 * A way to land another seat's write between a service's read of appointments and its own write, to
 * prove the write does not rest on what was read. The returned handle runs `between` once, right after
 * the first read of the `appointment` table, whichever way the service reads it (kysely or a prepared
 * statement). `between` writes through the same connection, so it also lands inside an IMMEDIATE
 * transaction the service holds: it stands for a commit another connection made just before the write.
 * A service that writes first and reads only afterwards simply runs `between` after its write.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { DbHandle } from '../../../db/connection';

const READS_APPOINTMENTS = /^\s*select\b[\s\S]*\bfrom\s+"?appointment"?(\s|$)/i;

export function interleaved(handle: DbHandle, between: () => void): DbHandle & { fired: () => boolean } {
  let fired = false;
  const once = () => {
    if (fired) return;
    fired = true;
    between();
  };

  const appointmentReads = new WeakSet<QueryId>();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from ?? null).includes('"appointment"')) appointmentReads.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (appointmentReads.has(args.queryId)) once();
      return args.result;
    },
  };

  const statement = (stmt: BetterSqlite3.Statement): BetterSqlite3.Statement =>
    new Proxy(stmt, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        if (key === 'get' || key === 'all') {
          return (...params: unknown[]) => {
            const result: unknown = value.apply(target, params);
            once();
            return result;
          };
        }
        return value.bind(target);
      },
    });

  const sqlite = new Proxy(handle.sqlite, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'prepare') {
        return (source: string) => {
          const stmt = target.prepare(source);
          return READS_APPOINTMENTS.test(source) ? statement(stmt) : stmt;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return { sqlite, db: handle.db.withPlugin(plugin), close: () => handle.close(), fired: () => fired };
}
