/**
 * Hand-written SQL for the three exercises, as an experienced developer would write each question
 * directly against the 0001 schema — two shapes per question (drive from the history table, or from
 * the customer), so the builder is compared with the faster of the two. "Today" is 2026-03-15.
 */
export interface HandQuery {
  sql: string;
  params: (dealerId: string) => unknown[];
}

const LAST_YEAR = ['2025-01-01', '2025-12-31'] as const;
const THIS_YEAR = ['2026-01-01', '2026-12-31'] as const;

export const HAND_WRITTEN: Record<'a' | 'b' | 'c', HandQuery[]> = {
  a: [
    {
      sql: `select distinct c.id from vehicle v join customer c on c.id = v.customer_id
        where v.model = 'Accord' and v.purchased_here = 1 and v.purchase_date < '2023-03-15' and v.deleted_at is null
          and c.dealer_id = ? and c.deleted_at is null and c.member_tier is not null
          and (select count(distinct r.opened_on) from repair_order r
               where r.customer_id = c.id and r.deleted_at is null and r.opened_on between ? and ?) >= 2`,
      params: (d) => [d, ...LAST_YEAR],
    },
    {
      sql: `select c.id from customer c
        where c.dealer_id = ? and c.deleted_at is null and c.member_tier is not null
          and exists (select 1 from vehicle v where v.customer_id = c.id and v.model = 'Accord' and v.purchased_here = 1
                      and v.purchase_date < '2023-03-15' and v.deleted_at is null)
          and (select count(distinct r.opened_on) from repair_order r
               where r.customer_id = c.id and r.deleted_at is null and r.opened_on between ? and ?) >= 2`,
      params: (d) => [d, ...LAST_YEAR],
    },
  ],
  b: [
    {
      sql: `select c.id from customer c
        where c.dealer_id = ? and c.deleted_at is null
          and exists (select 1 from repair_order r where r.customer_id = c.id and r.deleted_at is null and r.opened_on between ? and ?)
          and not exists (select 1 from repair_order r where r.customer_id = c.id and r.deleted_at is null and r.opened_on between ? and ?)`,
      params: (d) => [d, ...LAST_YEAR, ...THIS_YEAR],
    },
    {
      sql: `select distinct c.id from repair_order r join customer c on c.id = r.customer_id
        where r.opened_on between ? and ? and r.deleted_at is null and c.dealer_id = ? and c.deleted_at is null
          and not exists (select 1 from repair_order r2 where r2.customer_id = c.id and r2.deleted_at is null and r2.opened_on between ? and ?)`,
      params: (d) => [...LAST_YEAR, d, ...THIS_YEAR],
    },
  ],
  c: [
    {
      sql: `select distinct c.id from repair_order r
          join vehicle v on v.id = r.vehicle_id
          join customer c on c.id = v.customer_id
        where r.opened_on between '2025-04-01' and '2025-04-15' and r.deleted_at is null
          and v.model = 'Fit' and v.deleted_at is null and c.dealer_id = ? and c.deleted_at is null`,
      params: (d) => [d],
    },
    {
      sql: `select distinct c.id from vehicle v join customer c on c.id = v.customer_id
        where v.model = 'Fit' and v.deleted_at is null and c.dealer_id = ? and c.deleted_at is null
          and exists (select 1 from repair_order r where r.vehicle_id = v.id and r.deleted_at is null
                      and r.opened_on between '2025-04-01' and '2025-04-15')`,
      params: (d) => [d],
    },
  ],
};
