import type { Migration } from 'kysely';
import { migration0001 } from './0001-core';
import { migration0003 } from './0003-modem';

/** Every migration, keyed by a name that sorts in the order they must run. Append only. */
export const migrations: Record<string, Migration> = {
  '0001-core': migration0001,
  '0003-modem': migration0003,
};
