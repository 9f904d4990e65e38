/**
 * The contact policy a query campaign honours: the campaigns capability's do-not-contact flags (per
 * purpose and channel) and the modem's SMS opt-out ("TD/退订"), read through campaigns' preferences so
 * both features decide the same way. Query campaigns are marketing contacts.
 */
import type { DbHandle } from '../../db/connection';
import { createPreferences } from '../campaigns/preferences';
import type { ContactPolicy, ExclusionReason } from './campaign';

export const OPTED_OUT: ExclusionReason = {
  code: 'optedOut',
  label: { zh: '客户已设置免打扰或退订', en: 'Do not contact or opted out' },
};

export function preferencesPolicy(handle: DbHandle): ContactPolicy {
  const preferences = createPreferences(handle);
  return {
    exclusions({ channel, customerIds }) {
      const out = new Map<string, ExclusionReason>();
      for (const id of customerIds) if (!preferences.allows(id, null, 'marketing', channel)) out.set(id, OPTED_OUT);
      return out;
    },
  };
}
