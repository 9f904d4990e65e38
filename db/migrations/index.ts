import type { Migration } from 'kysely';
import { migration0001 } from './0001-core';
import { migration0002 } from './0002-customer-phone2';
import { migration0003 } from './0003-modem';
import { migration0004 } from './0004-dms';
import { migration0005 } from './0005-alarms';
import { migration0007 } from './0007-query';
import { migration0008 } from './0008-campaigns';
import { migration0009 } from './0009-preferences';
import { migration0010 } from './0010-appointments';
import { migration0011 } from './0011-query-campaigns';
import { migration0012 } from './0012-vehicle-facts';
import { migration0013 } from './0013-dealer-contact';
import { migration0014 } from './0014-repair-order-covering';
import { migration0015 } from './0015-dealer-short-name';
import { migration0016 } from './0016-turnoff-kind-key';
import { migration0017 } from './0017-sms-expiry';
import { migration0018 } from './0018-campaign-sms-touch';
import { migration0019 } from './0019-sales-team';
import { migration0020 } from './0020-sms-one-per-customer';
import { migration0022 } from './0022-campaign-hide';
import { migration0023 } from './0023-sms-queue-backfill';
import { migration0024 } from './0024-slim-queue-index';

/** Every migration, keyed by a name that sorts in the order they must run. Append only. */
export const migrations: Record<string, Migration> = {
  '0001-core': migration0001,
  '0002-customer-phone2': migration0002,
  '0003-modem': migration0003,
  '0004-dms': migration0004,
  '0005-alarms': migration0005,
  '0007-query': migration0007,
  '0008-campaigns': migration0008,
  '0009-preferences': migration0009,
  '0010-appointments': migration0010,
  '0011-query-campaigns': migration0011,
  '0012-vehicle-facts': migration0012,
  '0013-dealer-contact': migration0013,
  '0014-repair-order-covering': migration0014,
  '0015-dealer-short-name': migration0015,
  '0016-turnoff-kind-key': migration0016,
  '0017-sms-expiry': migration0017,
  '0018-campaign-sms-touch': migration0018,
  '0019-sales-team': migration0019,
  '0020-sms-one-per-customer': migration0020,
  '0022-campaign-hide': migration0022,
  '0023-sms-queue-backfill': migration0023,
  '0024-slim-queue-index': migration0024,
};
