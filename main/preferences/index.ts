/**
 * Contact preferences (联系偏好) as contract channels: a customer's do-not-contact flags, the modem's SMS
 * opt-out and sold vehicles, with the history of every change. The rules themselves live in
 * main/campaigns/preferences.ts, which every campaign, the query builder and the work queue read; this
 * module adds who may change what, the customer's timeline entry, and the events other seats follow.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { EXPORT_ROW_LIMIT } from '../../preload/channels/kit';
import {
  FLAG_CHANNEL_LABELS,
  FLAG_PURPOSE_LABELS,
  flagChannelSchema,
  flagPurposeSchema,
  type FlagChannel,
  type FlagPurpose,
  type PreferenceHistoryDto,
  type PreferencesDto,
} from '../../preload/channels/preferences';
import { DEALER_UTC_OFFSET_MINUTES, localDate } from '../campaigns/dates';
import { createPreferences, type Preferences } from '../campaigns/preferences';
import { ServiceError, staffOf, type EventSink, type HandlerMap, type SignedInStaff } from '../rpc';
import { historyWorkbook } from './export';

export interface PreferencesDeps {
  handle: DbHandle;
  emit: EventSink;
  /** Shares the campaigns' instance when given; otherwise one of its own over the same store. */
  preferences?: Preferences;
}

const PURPOSE_ZH = (p: FlagPurpose) => FLAG_PURPOSE_LABELS[p].zh;
const CHANNEL_ZH = (c: FlagChannel) => FLAG_CHANNEL_LABELS[c].zh;
/** How far back the history goes on screen; a customer rarely has more than a handful of changes. */
const HISTORY_LIMIT = 500;

function smsSource(source: string | null): { kind: 'sms_reply' | 'staff' | 'other' | null; inboxId: string | null } {
  if (!source) return { kind: null, inboxId: null };
  if (source.startsWith('sms_reply:')) return { kind: 'sms_reply', inboxId: source.slice('sms_reply:'.length) };
  if (source.startsWith('staff:')) return { kind: 'staff', inboxId: null };
  return { kind: 'other', inboxId: null };
}

/** Writes a change to the customer's timeline and tells the other seats the customer changed. */
async function timelineEntry(deps: { handle: DbHandle; emit: EventSink }, me: SignedInStaff | StaffRef, customerId: string, vehicleId: string | null, summary: string, detail: Record<string, unknown>): Promise<void> {
  const at = nowIso();
  await deps.handle.db
    .insertInto('contact_event')
    .values({ id: newId(), dealer_id: me.dealerId, customer_id: customerId, vehicle_id: vehicleId, kind: 'profile_change', occurred_at: at, staff_id: me.staffId, summary, detail: JSON.stringify(detail), created_at: at })
    .execute();
  deps.emit('customer.changed', { customerId, by: me.staffId });
}

/** Who changes a preference: the signed-in seat, or the agent whose call outcome said so. */
export interface StaffRef {
  dealerId: string;
  staffId: string;
}

/** A car just marked sold: whose it is and the open campaign tasks the mark closed. */
export interface SoldVehicle {
  customerId: string;
  closedTaskIds: string[];
}

export interface VehicleSales {
  /**
   * The customer no longer owns the car: every reminder about it stops (generation skips it as
   * vehicle_sold), its open campaign tasks close as 车已卖出 and other seats hear of them, and the
   * customer's timeline and preference history say who did it and why. Null when the vehicle is not
   * this dealer's (or deleted).
   */
  markSold(by: StaffRef, vehicleId: string, reason: string): Promise<{ customerId: string; closedTasks: number } | null>;
  /**
   * markSold's writes without its events, in one better-sqlite3 transaction (synchronous), so a caller
   * already in a transaction on the same connection makes them part of its own. Follow with announce()
   * once the caller has committed.
   */
  sell(by: StaffRef, vehicleId: string, reason: string): SoldVehicle | null;
  /** Tells the other seats about a sale sell() wrote. */
  announce(by: StaffRef, sold: SoldVehicle): void;
}

/** The one way a vehicle becomes sold, whether from the customer page (preferences.setVehicleSold) or a call outcome (非车主/已卖车). */
export function createVehicleSales(deps: PreferencesDeps): VehicleSales {
  const { handle, emit } = deps;
  const { sqlite } = handle;
  const preferences = deps.preferences ?? createPreferences(handle);
  const vehicleOf = sqlite.prepare<[string, string], { customer_id: string; plate: string | null; vin: string }>(
    `select customer_id, plate, vin from vehicle where id = ? and dealer_id = ? and deleted_at is null`,
  );
  const timelineInsert = sqlite.prepare<[string, string, string, string, string, string, string, string, string]>(
    `insert into contact_event (id, dealer_id, customer_id, vehicle_id, kind, occurred_at, staff_id, summary, detail, created_at) values (?, ?, ?, ?, 'profile_change', ?, ?, ?, ?, ?)`,
  );

  function sell(by: StaffRef, vehicleId: string, reason: string): SoldVehicle | null {
    // The mark, the tasks it closes and the timeline row commit together: no sold car without its timeline entry.
    return sqlite.transaction(() => {
      const vehicle = vehicleOf.get(vehicleId, by.dealerId);
      if (!vehicle) return null;
      const closedTaskIds = preferences.markVehicleSold(by.dealerId, vehicle.customer_id, vehicleId, by.staffId, reason);
      const at = nowIso();
      const summary = `车辆 ${vehicle.plate ?? vehicle.vin} 标记为已售，停止提醒（${reason.trim()}）`;
      timelineInsert.run(newId(), by.dealerId, vehicle.customer_id, vehicleId, at, by.staffId, summary, JSON.stringify({ action: 'sold', closedTasks: closedTaskIds.length }), at);
      return { customerId: vehicle.customer_id, closedTaskIds };
    })();
  }

  function announce(by: StaffRef, sold: SoldVehicle): void {
    for (const taskId of sold.closedTaskIds) emit('campaigns.taskChanged', { taskId, status: 'closed', claimedBy: null });
    emit('customer.changed', { customerId: sold.customerId, by: by.staffId });
  }

  return {
    sell,
    announce,
    async markSold(by, vehicleId, reason) {
      const sold = sell(by, vehicleId, reason);
      if (!sold) return null;
      announce(by, sold);
      return { customerId: sold.customerId, closedTasks: sold.closedTaskIds.length };
    },
  };
}

export function createPreferencesHandlers(deps: PreferencesDeps & { vehicleSales?: VehicleSales }): HandlerMap {
  const { handle, emit } = deps;
  const { db } = handle;
  const preferences = deps.preferences ?? createPreferences(handle);
  const vehicleSales = deps.vehicleSales ?? createVehicleSales({ handle, emit, preferences });

  async function customerOf(dealerId: string, customerId: string): Promise<void> {
    const row = await db.selectFrom('customer').select('id').where('id', '=', customerId).where('dealer_id', '=', dealerId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new ServiceError('NOT_FOUND');
  }

  const timeline = (me: SignedInStaff, customerId: string, vehicleId: string | null, summary: string, detail: Record<string, unknown>) =>
    timelineEntry({ handle, emit }, me, customerId, vehicleId, summary, detail);

  async function state(dealerId: string, customerId: string): Promise<PreferencesDto> {
    const turnoffs = await db
      .selectFrom('contact_turnoff as t')
      .leftJoin('staff as s', 's.id', 't.set_by')
      .select(['t.kind', 't.vehicle_id', 't.purpose', 't.channel', 't.reason', 't.updated_at', 's.display_name'])
      .where('t.dealer_id', '=', dealerId)
      .where('t.customer_id', '=', customerId)
      .orderBy('t.updated_at')
      .execute();
    const flags: PreferencesDto['flags'] = [];
    const soldVehicles: PreferencesDto['soldVehicles'] = [];
    for (const t of turnoffs) {
      if (t.kind === 'sold') soldVehicles.push({ vehicleId: t.vehicle_id, reason: t.reason, since: t.updated_at, setByName: t.display_name });
      // Vehicle-level flags other than "sold" are not set from any screen; generation still honours them.
      else if (t.vehicle_id === '') flags.push({ purpose: t.purpose, channel: t.channel, reason: t.reason, setByName: t.display_name, since: t.updated_at });
    }

    const opt = preferences.smsOptOut(customerId);
    const source = smsSource(opt.source);
    const reply = source.inboxId
      ? await db.selectFrom('sms_inbox').select('body').where('id', '=', source.inboxId).where('dealer_id', '=', dealerId).executeTakeFirst()
      : undefined;

    return {
      customerId,
      flags,
      smsOptOut: {
        optedOut: opt.optedOut,
        at: opt.at,
        source: source.kind,
        replyText: reply?.body ?? null,
        needsSupervisor: opt.optedOut && source.kind === 'sms_reply',
      },
      soldVehicles,
      history: await history(dealerId, customerId, HISTORY_LIMIT),
    };
  }

  /** Every change, newest first: the turnoff log and the customer's own 退订 replies, at most `limit`. */
  async function history(dealerId: string, customerId: string, limit: number): Promise<PreferenceHistoryDto[]> {
    const logged = await db
      .selectFrom('contact_turnoff_log as l')
      .leftJoin('staff as s', 's.id', 'l.staff_id')
      .leftJoin('vehicle as v', 'v.id', 'l.vehicle_id')
      .select(['l.id', 'l.kind', 'l.action', 'l.purpose', 'l.channel', 'l.vehicle_id', 'v.plate', 'l.reason', 's.display_name', 'l.created_at'])
      .where('l.dealer_id', '=', dealerId)
      .where('l.customer_id', '=', customerId)
      .orderBy('l.created_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(limit)
      .execute();
    // The customer's own 退订 replies are the record of every opt-out the modem set.
    const replies = await db
      .selectFrom('sms_inbox')
      .select(['id', 'body', 'received_at'])
      .where('dealer_id', '=', dealerId)
      .where('customer_id', '=', customerId)
      .where('opt_out', '=', 1)
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute();
    const rows: PreferenceHistoryDto[] = [];
    for (const l of logged) {
      const purpose = flagPurposeSchema.safeParse(l.purpose);
      const channel = flagChannelSchema.safeParse(l.channel);
      if (!purpose.success || !channel.success) continue;
      rows.push({
        at: l.created_at,
        kind: l.kind,
        action: l.action,
        purpose: purpose.data,
        channel: channel.data,
        vehicleId: l.vehicle_id || null,
        plate: l.plate,
        reason: l.reason,
        staffName: l.display_name,
      });
    }
    for (const r of replies) {
      rows.push({ at: r.received_at, kind: 'sms_opt_out', action: 'set', purpose: 'all', channel: 'sms', vehicleId: null, plate: null, reason: r.body, staffName: null });
    }
    rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

    return rows.slice(0, limit);
  }

  return {
    'preferences.get': async ({ customerId }, ctx) => {
      const me = staffOf(ctx);
      await customerOf(me.dealerId, customerId);
      return state(me.dealerId, customerId);
    },

    'preferences.exportHistory': async ({ customerId, lang }, ctx) => {
      const me = staffOf(ctx);
      const customer = await db.selectFrom('customer').select('name').where('id', '=', customerId).where('dealer_id', '=', me.dealerId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!customer) throw new ServiceError('NOT_FOUND');
      // One row past the limit tells a full history from a cut one.
      const rows = await history(me.dealerId, customerId, EXPORT_ROW_LIMIT + 1);
      const truncated = rows.length > EXPORT_ROW_LIMIT;
      if (truncated) rows.length = EXPORT_ROW_LIMIT;
      const buffer = await historyWorkbook(customer.name, rows, lang);
      // A name is no file name when it holds a slash or the like.
      const who = customer.name.replace(/[\\/:*?"<>|\s]+/g, '_');
      return { fileName: `联系偏好_${who}_${localDate(new Date(), DEALER_UTC_OFFSET_MINUTES)}.xlsx`, base64: buffer.toString('base64'), rows: rows.length, truncated };
    },

    'preferences.setFlag': async (input, ctx) => {
      const me = staffOf(ctx);
      await customerOf(me.dealerId, input.customerId);
      preferences.set(me.dealerId, { customerId: input.customerId, purpose: input.purpose, channel: input.channel, reason: input.reason, staffId: me.staffId });
      await timeline(me, input.customerId, null, `联系偏好：${PURPOSE_ZH(input.purpose)} · ${CHANNEL_ZH(input.channel)} 设为免打扰（${input.reason}）`, {
        action: 'set',
        purpose: input.purpose,
        channel: input.channel,
      });
      return state(me.dealerId, input.customerId);
    },

    'preferences.clearFlag': async (input, ctx) => {
      const me = staffOf(ctx);
      await customerOf(me.dealerId, input.customerId);
      const cleared = preferences.clear(me.dealerId, { customerId: input.customerId, purpose: input.purpose, channel: input.channel, reason: input.reason, staffId: me.staffId });
      if (!cleared) throw new ServiceError('CONFLICT', { zh: '该免打扰设置已不存在，请刷新', en: 'This do-not-contact flag is no longer set; reload' });
      await timeline(me, input.customerId, null, `联系偏好：${PURPOSE_ZH(input.purpose)} · ${CHANNEL_ZH(input.channel)} 恢复联系（${input.reason}）`, {
        action: 'clear',
        purpose: input.purpose,
        channel: input.channel,
      });
      return state(me.dealerId, input.customerId);
    },

    'preferences.setVehicleSold': async (input, ctx) => {
      const me = staffOf(ctx);
      if (input.sold) {
        const sold = await vehicleSales.markSold(me, input.vehicleId, input.reason);
        if (!sold) throw new ServiceError('NOT_FOUND');
        return { ...(await state(me.dealerId, sold.customerId)), closedTasks: sold.closedTasks };
      }
      const vehicle = await db
        .selectFrom('vehicle')
        .select(['customer_id', 'plate', 'vin'])
        .where('id', '=', input.vehicleId)
        .where('dealer_id', '=', me.dealerId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!vehicle) throw new ServiceError('NOT_FOUND');
      if (!preferences.unmarkVehicleSold(me.dealerId, vehicle.customer_id, input.vehicleId, me.staffId, input.reason)) {
        throw new ServiceError('CONFLICT', { zh: '该车辆未标记为已售，请刷新', en: 'This vehicle is not marked sold; reload' });
      }
      await timeline(me, vehicle.customer_id, input.vehicleId, `车辆 ${vehicle.plate ?? vehicle.vin} 取消已售标记（${input.reason}）`, { action: 'unsold', closedTasks: 0 });
      return { ...(await state(me.dealerId, vehicle.customer_id)), closedTasks: 0 };
    },

    'preferences.clearSmsOptOut': async (input, ctx) => {
      const me = staffOf(ctx);
      await customerOf(me.dealerId, input.customerId);
      const current = preferences.smsOptOut(input.customerId);
      if (!current.optedOut) throw new ServiceError('CONFLICT', { zh: '该客户没有退订短信，请刷新', en: 'This customer has not opted out of SMS; reload' });
      // The customer's own 退订 is their word: only a supervisor may lift it (e.g. after a written request).
      if (smsSource(current.source).kind === 'sms_reply' && me.role === 'agent') {
        throw new ServiceError('FORBIDDEN', { zh: '客户本人回复退订，需主管或管理员恢复', en: 'The customer opted out by SMS; a supervisor or admin must lift it' });
      }
      if (!preferences.clearSmsOptOut(me.dealerId, input.customerId, me.staffId, input.reason)) {
        throw new ServiceError('CONFLICT', { zh: '该客户没有退订短信，请刷新', en: 'This customer has not opted out of SMS; reload' });
      }
      await timeline(me, input.customerId, null, `联系偏好：恢复短信（取消退订）（${input.reason}）`, { action: 'clear', kind: 'sms_opt_out' });
      return state(me.dealerId, input.customerId);
    },

    'preferences.forTask': async ({ taskId }, ctx) => {
      const me = staffOf(ctx);
      const task = await db
        .selectFrom('campaign_task as t')
        .innerJoin('campaign as c', 'c.id', 't.campaign_id')
        .select(['t.customer_id', 't.vehicle_id', 'c.purpose'])
        .where('t.id', '=', taskId)
        .where('t.dealer_id', '=', me.dealerId)
        .executeTakeFirst();
      if (!task) throw new ServiceError('NOT_FOUND');
      const sold = task.vehicle_id
        ? await db.selectFrom('contact_turnoff').select('id').where('vehicle_id', '=', task.vehicle_id).where('kind', '=', 'sold').executeTakeFirst()
        : undefined;
      return {
        purpose: task.purpose,
        phone: preferences.allows(task.customer_id, task.vehicle_id, task.purpose, 'phone'),
        sms: preferences.allows(task.customer_id, task.vehicle_id, task.purpose, 'sms'),
        letter: preferences.allows(task.customer_id, task.vehicle_id, task.purpose, 'letter'),
        smsOptOut: preferences.smsOptOut(task.customer_id).optedOut,
        vehicleSold: sold !== undefined,
      };
    },
  };
}
