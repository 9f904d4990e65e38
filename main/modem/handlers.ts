/**
 * The modem capability as the dispatcher sees it: handlers for the contract's sms.* / calls.* / modem.*
 * channels, and the runtime switch an admin flips in settings (modem.configure saves the seat
 * configuration's `modem` section and reconnects at once). Every query is scoped to the signed-in staff's
 * dealer; this seat's modem belongs to one dealer, and staff of another get FORBIDDEN.
 */
import path from 'node:path';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { ModemSettings } from '../../preload/channels/modem';
import { ConfigError, createSeatConfig, type SeatConfig, type SeatConfigService } from '../config';
import { ServiceError, type CallContext, type EventSink, type HandlerMap } from '../rpc';
import type { ModemConfig } from './config';
import { callLogWorkbook } from './export';
import { createModem, healthChecks, type Modem, type ModemDeps, type ModemStatus } from './index';
import { createSimLine, isSimPort, type SimLine } from './sim-link';

export interface ModemFeatureDeps {
  handle: DbHandle;
  emit: EventSink;
  /** The seat folder; the settings live in `${dataDir}/seat-config.json` unless `seatConfig` is given. */
  dataDir: string;
  seatConfig?: SeatConfigService;
  /** Engine timings for tests and the demo (faster health polls, shorter retries). */
  overrides?: Partial<Omit<ModemConfig, 'port' | 'calls'>>;
  transport?: ModemDeps['transport'];
  log?: (text: string) => void;
  /** The alarms capability's modem hook (line → SMS link → signal), fed on every status change while enabled. */
  health?: Record<'line' | 'smsLink' | 'signal', (ok: boolean, detail: string | null) => void>;
}

export interface ModemFeature {
  handlers: HandlerMap;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The live modem (replaced when an admin reconfigures); the alarms modem hook reads its status. */
  current(): Modem;
  /** The dealer this seat's modem and outbox belong to. */
  dealerId: string;
}

const NOT_SIMULATED = { zh: '仅当短信猫串口设为 sim://demo（演示模拟器）并已启用时可用', en: 'Only while the modem port is sim://demo (the demo simulator) and enabled' };

const NOT_CONNECTED = { zh: '短信猫未启用或未连接，请管理员在“短信 → 短信猫设置”中配置串口', en: 'The modem is not enabled or not connected; an admin sets the port in SMS → Modem settings' };

function settingsOf(config: SeatConfig): ModemSettings {
  const m = config.modem;
  return { enabled: m.enabled, port: m.port, baudRate: m.baudRate, maxSmsPerMinute: m.maxSmsPerMinute, quietHours: m.quietHours, perCustomerDailyCap: m.perCustomerDailyCap };
}

export async function createModemFeature(deps: ModemFeatureDeps): Promise<ModemFeature> {
  const seatConfig = deps.seatConfig ?? (await createSeatConfig({ file: path.join(deps.dataDir, 'seat-config.json'), watch: true }));
  const ownsSeatConfig = !deps.seatConfig;
  const dealer = await deps.handle.db.selectFrom('dealer').select('id').orderBy('created_at').executeTakeFirst();
  const dealerId = seatConfig.get().dealerId ?? dealer?.id ?? '';

  let settings = settingsOf(seatConfig.get());
  let running = false;
  /** The in-process simulator behind port `sim://demo` (none for a real port or an injected transport). */
  let simLine: SimLine | null = null;

  function build(s: ModemSettings): Modem {
    simLine = !deps.transport && isSimPort(s.port) ? createSimLine() : null;
    const transport = deps.transport ?? simLine?.transport;
    return createModem({
      handle: deps.handle,
      dealerId,
      emit: (name, payload) => {
        deps.emit(name, payload);
        if (name === 'modem.status' && deps.health && connectable(s)) {
          const checks = healthChecks(payload as ModemStatus);
          deps.health.line(checks.line.ok, checks.line.detail);
          deps.health.smsLink(checks.smsLink.ok, checks.smsLink.detail);
          deps.health.signal(checks.signal.ok, checks.signal.detail);
        }
      },
      config: {
        ...deps.overrides,
        port: s.port ?? '',
        baudRate: s.baudRate,
        ratePerMinute: s.maxSmsPerMinute,
        quietHours: s.quietHours,
        perCustomerDailyCap: s.perCustomerDailyCap,
      },
      ...(transport ? { transport } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
  }
  const connectable = (s: ModemSettings) => s.enabled && Boolean(s.port);
  let modem = build(settings);

  /** Serialises reconfiguration so two admins saving at once cannot leave two modems on one port. */
  let chain: Promise<void> = Promise.resolve();
  function restart(next: ModemSettings): Promise<void> {
    const step = chain.then(async () => {
      if (JSON.stringify(next) === JSON.stringify(settings)) return;
      await modem.stop();
      simLine?.stop();
      settings = next;
      modem = build(next);
      if (running && connectable(next)) await modem.start();
    });
    chain = step.catch(() => undefined);
    return step;
  }

  // IT may edit the seat file (or the 运维 settings screen may save it): follow the modem section.
  const unwatch = seatConfig.onChange((next, previous) => {
    if (JSON.stringify(next.modem) === JSON.stringify(previous.modem)) return;
    restart(settingsOf(next)).catch((error: unknown) => deps.log?.(`reconnect after a settings change failed: ${error instanceof Error ? error.message : String(error)}`));
  });

  async function callLog(limit: number) {
    const rows = await deps.handle.db
      .selectFrom('call_log as l')
      .leftJoin('customer as c', 'c.id', 'l.customer_id')
      .leftJoin('staff as s', 's.id', 'l.staff_id')
      .select(['l.id', 'l.direction', 'l.number', 'l.customer_id', 'c.name as customer_name', 's.display_name as staff_name', 'l.started_at', 'l.answered_at', 'l.ended_at', 'l.duration_s', 'l.missed', 'l.abandoned', 'l.end_reason'])
      .where('l.dealer_id', '=', dealerId)
      .orderBy('l.started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      direction: r.direction,
      number: r.number,
      customerId: r.customer_id,
      customerName: r.customer_name,
      staffName: r.staff_name,
      startedAt: r.started_at,
      answeredAt: r.answered_at,
      endedAt: r.ended_at,
      durationS: r.duration_s,
      missed: r.missed === 1,
      abandoned: r.abandoned === 1,
      endReason: r.end_reason,
    }));
  }

  function scope(ctx: CallContext): void {
    if (!ctx.staff || ctx.staff.dealerId !== dealerId) throw new ServiceError('FORBIDDEN');
  }
  function requireLine(): void {
    if (!connectable(settings)) throw new ServiceError('UNAVAILABLE', NOT_CONNECTED);
  }

  const handlers: HandlerMap = {
    'sms.count': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['sms.count'](input, ctx);
    },
    'sms.send': async (input, ctx) => {
      scope(ctx);
      // Queued even while the modem is away: the durable outbox sends it when the line is back.
      return modem.handlers['sms.send'](input, ctx);
    },
    'sms.uncertain': async (_input, ctx) => {
      scope(ctx);
      const rows = await deps.handle.db
        .selectFrom('sms_message as m')
        .leftJoin('customer as c', 'c.id', 'm.customer_id')
        .select(['m.id', 'm.customer_id', 'c.name', 'm.recipient', 'm.body', 'm.part_count', 'm.created_at', 'm.error_text'])
        .where('m.dealer_id', '=', dealerId)
        .where('m.state', '=', 'uncertain')
        .orderBy('m.created_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((r) => ({ id: r.id, customerId: r.customer_id, customerName: r.name, recipient: r.recipient, body: r.body, parts: r.part_count, createdAt: r.created_at, errorText: r.error_text }));
    },
    'sms.resolveUncertain': async (input, ctx) => {
      scope(ctx);
      const owned = await deps.handle.db.selectFrom('sms_message').select('id').where('id', '=', input.messageId).where('dealer_id', '=', dealerId).executeTakeFirst();
      if (!owned) throw new ServiceError('NOT_FOUND');
      return modem.handlers['sms.resolveUncertain'](input, ctx);
    },
    'sms.threads': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['sms.threads'](input, ctx);
    },
    'sms.thread': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['sms.thread'](input, ctx);
    },
    'sms.markRead': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['sms.markRead'](input, ctx);
    },
    'calls.dial': async (input, ctx) => {
      scope(ctx);
      requireLine();
      if (input.customerId) {
        const c = await deps.handle.db.selectFrom('customer').select('id').where('id', '=', input.customerId).where('dealer_id', '=', dealerId).executeTakeFirst();
        if (!c) throw new ServiceError('NOT_FOUND');
      }
      try {
        return await modem.handlers['calls.dial'](input, ctx);
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'VALIDATION' && !error.issues) throw new ServiceError('VALIDATION', error.userMessage, [{ path: 'number', message: error.userMessage }]);
        throw error;
      }
    },
    'calls.quickCreate': async (input, ctx) => {
      scope(ctx);
      const digits = input.number.replace(/^\+?86(?=1\d{10}$)/, '');
      const mobile = /^1[3-9]\d{9}$/.test(digits) ? digits : null;
      const id = newId();
      const at = nowIso();
      await deps.handle.db
        .insertInto('customer')
        .values({ id, dealer_id: dealerId, name: input.name, mobile, phone2: mobile ? null : digits, gender: null, dms_id: null, birthday: null, city: null, address: null, member_tier: null, member_no: null, member_since: null, responsible_staff_id: null, created_at: at, updated_at: at, deleted_at: null })
        .execute();
      return { id };
    },
    'calls.log': async (input, ctx) => {
      scope(ctx);
      return callLog(input.limit);
    },
    'calls.exportLog': async (input, ctx) => {
      scope(ctx);
      return callLogWorkbook(await callLog(input.limit), new Date());
    },
    'calls.answer': async (input, ctx) => {
      scope(ctx);
      requireLine();
      return modem.handlers['calls.answer'](input, ctx);
    },
    'calls.hangup': async (input, ctx) => {
      scope(ctx);
      requireLine();
      return modem.handlers['calls.hangup'](input, ctx);
    },
    'modem.status': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['modem.status'](input, ctx);
    },
    'modem.ports': async (input, ctx) => {
      scope(ctx);
      return modem.handlers['modem.ports'](input, ctx);
    },
    'modem.settings': async (_input, ctx) => {
      scope(ctx);
      return settings;
    },
    'modem.configure': async (input, ctx) => {
      scope(ctx);
      // Another screen may have saved the seat file meanwhile: start from what is on disk.
      const current = await seatConfig.reload();
      try {
        seatConfig.save({ ...current, modem: { ...current.modem, ...input, port: input.port === '' ? null : input.port } });
      } catch (error) {
        if (error instanceof ConfigError) {
          throw new ServiceError(
            'VALIDATION',
            undefined,
            error.issues.map((i) => ({ path: i.path.replace(/^modem\./, ''), message: i.message })),
          );
        }
        throw error;
      }
      const saved = settingsOf(seatConfig.get());
      await restart(saved);
      return saved;
    },
    'modem.demoInject': async (input, ctx) => {
      scope(ctx);
      await chain;
      if (!simLine || !connectable(settings)) throw new ServiceError('UNAVAILABLE', NOT_SIMULATED);
      if (input.kind === 'sms') simLine.sim.injectSms(input.from, input.text);
      else simLine.sim.injectCall(input.from);
      return { injected: input.kind };
    },
  };

  return {
    handlers,
    dealerId,
    async start() {
      running = true;
      await chain;
      if (connectable(settings)) await modem.start();
    },
    async stop() {
      running = false;
      await chain;
      unwatch();
      await modem.stop();
      simLine?.stop();
      if (ownsSeatConfig) seatConfig.close();
    },
    current: () => modem,
  };
}
