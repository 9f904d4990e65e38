/**
 * Bulk loads would refresh the customer_search FTS row once per inserted customer and vehicle. These
 * helpers take the search triggers out for the load and put back the very same statements (read from
 * sqlite_master, so they stay identical to whatever the migrations created), then rebuild the index with
 * the triggers' own INSERT…SELECT run once over every customer.
 */
import type BetterSqlite3 from 'better-sqlite3';

interface SavedTrigger {
  name: string;
  sql: string;
}

export interface SuspendedSearchIndex {
  /** Recreates the triggers and rebuilds customer_search from the current customers and vehicles. */
  restore(): void;
}

// The refresh each search trigger runs: "insert into customer_search (rowid, body) select c.seq, <body>
// from customer c where c.id = new.id and c.deleted_at is null;"
const REFRESH = /insert into customer_search \(rowid, body\)\s+select c\.seq, ([\s\S]*?) from customer c where c\.id = new\.id and c\.deleted_at is null;/i;

export function suspendSearchIndex(sqlite: BetterSqlite3.Database): SuspendedSearchIndex {
  const triggers = sqlite
    .prepare<[], SavedTrigger>(
      `select name, sql from sqlite_master where type = 'trigger' and sql like '%customer_search%' order by name`,
    )
    .all();
  const insertTrigger = triggers.find((t) => t.name === 'customer_search_ai');
  const body = insertTrigger ? REFRESH.exec(insertTrigger.sql)?.[1] : undefined;
  sqlite.transaction(() => {
    for (const t of triggers) sqlite.exec(`drop trigger "${t.name.replaceAll('"', '""')}"`);
  })();

  return {
    restore() {
      sqlite.transaction(() => {
        for (const t of triggers) sqlite.exec(t.sql);
        sqlite.exec('delete from customer_search');
        if (body) {
          sqlite.exec(
            `insert into customer_search (rowid, body) select c.seq, ${body} from customer c where c.deleted_at is null order by c.seq`,
          );
        } else {
          // The trigger text changed shape in a later migration: let the update trigger do the refresh.
          sqlite.exec('update customer set name = name where deleted_at is null');
        }
      })();
    },
  };
}
