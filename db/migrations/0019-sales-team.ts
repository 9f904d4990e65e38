import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5 item 6, assigning reminder tasks "by the customer's sales team": the vehicle's sales consultant
 * (销售顾问, as the DMS names him or her; null when the DMS does not say), the dealer's sales teams, which
 * call-center agents serve each team (one or several) and which consultant belongs to which team.
 *
 * Consultants are kept by name, as the DMS delivers them: the workstation has no roster of the sales
 * department, and a name that stops appearing on vehicles can still be taken out of its team. A consultant
 * is in at most one team per dealer (the primary key), so a task's team is never ambiguous.
 *
 * Vehicles already imported over REST carry no consultant yet, and the change stream only re-delivers
 * what changes in the DMS: the vehicles' watermarks are cleared so the next sync reads every vehicle once.
 * Vehicles without a consultant hash as before (main/dms/hash.ts) and are skipped as unchanged.
 */
export const migration0019: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    await run(`alter table vehicle add column sales_consultant text`);
    // The settings screen lists the distinct consultants on the dealer's vehicles.
    await run(`create index vehicle_sales_consultant on vehicle (dealer_id, sales_consultant) where sales_consultant is not null`);

    await run(`create table sales_team (
      id text primary key,
      dealer_id text not null references dealer(id),
      name text not null,
      created_at text not null,
      updated_at text not null
    )`);
    await run(`create unique index sales_team_name on sales_team (dealer_id, name)`);

    await run(`create table sales_team_agent (
      team_id text not null references sales_team(id) on delete cascade,
      staff_id text not null references staff(id),
      dealer_id text not null references dealer(id),
      created_at text not null,
      primary key (team_id, staff_id)
    ) without rowid`);

    await run(`create table sales_team_consultant (
      dealer_id text not null references dealer(id),
      consultant text not null,
      team_id text not null references sales_team(id) on delete cascade,
      created_at text not null,
      updated_at text not null,
      primary key (dealer_id, consultant)
    ) without rowid`);
    await run(`create index sales_team_consultant_team on sales_team_consultant (team_id)`);

    await run(`update dms_sync_state set watermark = null, since = null, cursor = null where entity = 'vehicle'`);
  },
};
