import { sql } from 'kysely';
import type { TaskStatus } from '../../db/tables/campaigns';

/**
 * The open status as a literal in the SQL text, not a bound parameter: the queue index holds open tasks
 * only (… where status = 'open'), and SQLite uses a partial index only when the query's own text implies
 * its condition. Queries that look for open tasks by step date compare status with this.
 */
export const OPEN = sql.lit<TaskStatus>('open');
