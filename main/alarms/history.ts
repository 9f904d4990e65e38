/**
 * Alarm history (告警历史清单): alarms with filters and keyset paging, each alarm's append-only event
 * trail, and an Excel export of both for incident review.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { AlarmEventType, AlarmState, Severity } from '../../db/tables/alarms';
import type { EngineContext } from './context';
import type { AlarmView } from './types';
import { toAlarmView } from './views';

export interface HistoryFilter {
  /** ISO timestamps bounding when the alarm was first seen. */
  from?: string;
  to?: string;
  server?: string;
  /** Substring of the fingerprint or the name. */
  text?: string;
  severity?: Severity;
  state?: AlarmState;
  /** Leave out alarms that cleared while still pending (never fired). */
  firedOnly?: boolean;
  limit?: number;
  cursor?: string | null;
}

export interface AlarmEventView {
  id: string;
  alarmId: string | null;
  silenceId: string | null;
  target: string | null;
  type: AlarmEventType;
  at: string;
  actorId: string | null;
  actorName: string | null;
  detail: Record<string, unknown> | null;
}

function parseDetail(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : null;
}

const STATE_ZH: Record<AlarmState, string> = {
  pending: '待定',
  firing: '告警中',
  flapping: '抖动',
  acknowledged: '已确认',
  resolved: '已恢复',
};

export function createHistory(ctx: EngineContext) {
  const { db, sdb } = ctx;

  function list(filter: HistoryFilter = {}): { items: AlarmView[]; nextCursor: string | null } {
    const limit = Math.min(Math.max(filter.limit ?? 200, 1), 5000);
    let query = db.selectFrom('alarm').selectAll().where('dealer_id', '=', ctx.dealerId);
    if (filter.from) query = query.where('first_seen_at', '>=', filter.from);
    if (filter.to) query = query.where('first_seen_at', '<', filter.to);
    if (filter.server) query = query.where('server', '=', filter.server);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.firedOnly) query = query.where('fired_at', 'is not', null);
    if (filter.text) {
      // instr() rather than LIKE: user text with % or _ is matched literally, no escaping rules.
      const needle = filter.text.toLowerCase();
      query = query.where(sql<boolean>`(instr(lower(fingerprint), ${needle}) > 0 or instr(lower(name), ${needle}) > 0)`);
    }
    if (filter.cursor) {
      const [at, id] = filter.cursor.split('|');
      if (at && id) {
        query = query.where((eb) => eb.or([eb('first_seen_at', '<', at), eb.and([eb('first_seen_at', '=', at), eb('id', '<', id)])]));
      }
    }
    const rows = sdb.all(query.orderBy('first_seen_at', 'desc').orderBy('id', 'desc').limit(limit + 1));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAlarmView),
      nextCursor: rows.length > limit && last ? `${last.first_seen_at}|${last.id}` : null,
    };
  }

  function events(filter: { alarmId?: string; from?: string; to?: string; limit?: number } = {}): AlarmEventView[] {
    let query = db.selectFrom('alarm_event').selectAll().where('dealer_id', '=', ctx.dealerId);
    if (filter.alarmId) query = query.where('alarm_id', '=', filter.alarmId);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    const rows = sdb.all(query.orderBy('at').orderBy('id').limit(Math.min(filter.limit ?? 1000, 50_000)));
    return rows.map((r) => ({
      id: r.id,
      alarmId: r.alarm_id,
      silenceId: r.silence_id,
      target: r.target,
      type: r.type,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      detail: parseDetail(r.detail),
    }));
  }

  /** An .xlsx workbook: the filtered alarms, and every event in the same period. */
  async function exportXlsx(filter: HistoryFilter = {}): Promise<{ fileName: string; buffer: Buffer; rows: number }> {
    const { items } = list({ ...filter, limit: 5000, cursor: null });
    const workbook = new ExcelJS.Workbook();
    workbook.created = new Date(ctx.clock.now());
    const sheet = workbook.addWorksheet('告警历史 Alarms');
    sheet.columns = [
      { header: '首次发现 First seen', key: 'firstSeenAt', width: 24 },
      { header: '服务器 Server', key: 'server', width: 16 },
      { header: '告警 Alarm', key: 'name', width: 32 },
      { header: '级别 Severity', key: 'severity', width: 10 },
      { header: '状态 State', key: 'state', width: 14 },
      { header: '详情 Detail', key: 'detail', width: 40 },
      { header: '次数 Occurrences', key: 'occurrences', width: 10 },
      { header: '告警时间 Fired', key: 'firedAt', width: 24 },
      { header: '确认人 Acked by', key: 'ackBy', width: 12 },
      { header: '确认时间 Acked at', key: 'ackAt', width: 24 },
      { header: '确认说明 Comment', key: 'ackComment', width: 30 },
      { header: '升级 Escalated via', key: 'escalatedVia', width: 12 },
      { header: '恢复时间 Resolved', key: 'resolvedAt', width: 24 },
      { header: '标识 Fingerprint', key: 'fingerprint', width: 32 },
    ];
    for (const a of items) {
      sheet.addRow({
        ...a,
        severity: a.severity === 'critical' ? '严重 critical' : '警告 warning',
        state: `${STATE_ZH[a.state]} ${a.state}`,
        ackBy: a.ack?.byName ?? '',
        ackAt: a.ack?.at ?? '',
        ackComment: a.ack?.comment ?? '',
      });
    }
    sheet.getRow(1).font = { bold: true };
    const trail = workbook.addWorksheet('事件 Events');
    trail.columns = [
      { header: '时间 At', key: 'at', width: 24 },
      { header: '事件 Event', key: 'type', width: 16 },
      { header: '对象 Target', key: 'target', width: 32 },
      { header: '操作人 Actor', key: 'actorName', width: 12 },
      { header: '详情 Detail', key: 'detail', width: 60 },
      { header: '告警编号 Alarm id', key: 'alarmId', width: 28 },
    ];
    const ids = new Set(items.map((a) => a.id));
    for (const e of events({ from: filter.from, to: filter.to, limit: 50_000 })) {
      if (e.alarmId && !ids.has(e.alarmId)) continue;
      trail.addRow({ ...e, detail: e.detail ? JSON.stringify(e.detail) : '' });
    }
    trail.getRow(1).font = { bold: true };
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const stamp = ctx.iso().slice(0, 10);
    return { fileName: `告警历史-alarms-${stamp}.xlsx`, buffer, rows: items.length };
  }

  return { list, events, exportXlsx };
}

export type History = ReturnType<typeof createHistory>;
