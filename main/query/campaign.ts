/**
 * "Make campaign" preparation (the seed's service-fortnight flow): from the matched customers to the
 * list a campaign may actually contact on one channel. Each dropped customer is counted under the first
 * reason that applies, in this order: excluded by policy (SMS opt-out, do-not-contact) → no contact →
 * invalid contact → same phone/address as a customer already on the list (one SMS per handset, one
 * letter per household). The counts and reasons are shown before anything is sent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { mobileSchema, normalizePhone, phoneSchema } from '../../preload/contract';
import type { Bilingual } from '../../preload/messages';

export type CampaignChannel = 'sms' | 'phone' | 'letter';

export interface CampaignOptions {
  channel: CampaignChannel;
}

export interface ExclusionReason {
  code: string;
  label: Bilingual;
}

/**
 * Where opt-outs live once they exist (modem "TD" replies, per-purpose do-not-contact flags in the
 * customer capability). Returns the customers among `customerIds` that must not be contacted.
 */
export interface ContactPolicy {
  exclusions(input: {
    dealerId: string;
    channel: CampaignChannel;
    customerIds: readonly string[];
  }): Promise<ReadonlyMap<string, ExclusionReason>> | ReadonlyMap<string, ExclusionReason>;
}

export interface CampaignRecipient {
  customerId: string;
  name: string;
  /** Normalized mobile/phone, or the postal address for letters. */
  contact: string;
}

export interface DroppedGroup {
  code: string;
  label: Bilingual;
  count: number;
  customerIds: string[];
}

export interface CampaignPreparation {
  channel: CampaignChannel;
  matched: number;
  recipients: CampaignRecipient[];
  dropped: DroppedGroup[];
}

export const DROP_REASONS = {
  noMobile: { zh: '没有手机号', en: 'No mobile number' },
  invalidMobile: { zh: '手机号无效', en: 'Invalid mobile number' },
  noPhone: { zh: '没有电话', en: 'No phone number' },
  invalidPhone: { zh: '电话号码无效', en: 'Invalid phone number' },
  noAddress: { zh: '没有地址', en: 'No postal address' },
  duplicateContact: { zh: '与名单中其他客户号码或地址相同', en: 'Same number or address as a customer already listed' },
} as const satisfies Record<string, Bilingual>;
type DropCode = keyof typeof DROP_REASONS;

const CHUNK = 500;

/** Numbers like 13800000000 or 13988888888 are typed to get past a required field, not real handsets. */
function isPlaceholder(mobile: string): boolean {
  return /(\d)\1{7}$/.test(mobile);
}

type Pick = { contact: string } | { drop: DropCode };

function pickContact(channel: CampaignChannel, c: { mobile: string | null; phone2: string | null; address: string | null }): Pick {
  const given = [c.mobile, c.phone2].filter((p): p is string => p !== null && p.trim() !== '');
  if (channel === 'letter') {
    const address = c.address?.trim() ?? '';
    return address.length > 0 ? { contact: address.replace(/\s+/g, '') } : { drop: 'noAddress' };
  }
  const schema = channel === 'sms' ? mobileSchema : phoneSchema;
  // For SMS a landline is no mobile at all; a mistyped 1xx number is an invalid one.
  const candidates = channel === 'sms' ? given.filter((p) => normalizePhone(p).startsWith('1')) : given;
  if (candidates.length === 0) return { drop: channel === 'sms' ? 'noMobile' : 'noPhone' };
  for (const raw of candidates) {
    const parsed = schema.safeParse(raw);
    if (parsed.success && !isPlaceholder(parsed.data)) return { contact: parsed.data };
  }
  return { drop: channel === 'sms' ? 'invalidMobile' : 'invalidPhone' };
}

export async function prepareCampaign(
  db: Kysely<Database>,
  ids: readonly string[],
  scope: { dealerId: string; channel: CampaignChannel },
  policy?: ContactPolicy,
): Promise<CampaignPreparation> {
  const unique = [...new Set(ids)];
  const dropped = new Map<string, DroppedGroup>();
  const drop = (code: string, label: Bilingual, customerId: string) => {
    const group = dropped.get(code) ?? { code, label, count: 0, customerIds: [] };
    group.count++;
    group.customerIds.push(customerId);
    dropped.set(code, group);
  };
  const recipients: CampaignRecipient[] = [];
  const seen = new Set<string>();

  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('customer')
      .select(['id', 'name', 'mobile', 'phone2', 'address'])
      .where('id', 'in', chunk)
      .where('dealer_id', '=', scope.dealerId)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const excluded = policy ? await policy.exclusions({ dealerId: scope.dealerId, channel: scope.channel, customerIds: chunk }) : new Map();
    for (const id of chunk) {
      const c = byId.get(id);
      if (!c) continue;
      const reason = excluded.get(id);
      if (reason) {
        drop(reason.code, reason.label, id);
        continue;
      }
      const pick = pickContact(scope.channel, c);
      if ('drop' in pick) {
        drop(pick.drop, DROP_REASONS[pick.drop], id);
      } else if (seen.has(pick.contact)) {
        drop('duplicateContact', DROP_REASONS.duplicateContact, id);
      } else {
        seen.add(pick.contact);
        recipients.push({ customerId: id, name: c.name, contact: pick.contact });
      }
    }
  }
  return { channel: scope.channel, matched: unique.length, recipients, dropped: [...dropped.values()] };
}
