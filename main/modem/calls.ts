/**
 * Voice calls through the modem: RING/+CLIP → screen pop (at the first +CLIP, or after a short grace
 * with AT+CLCC as the fallback for modems that never send +CLIP), ATA/ATD…;/ATH, call progress from
 * +CLCC polling and NO CARRIER/BUSY/NO ANSWER, and one call_log row per call.
 */
import { newId } from '../../db/ids';
import type { CallLogTable } from '../../db/tables/modem';
import { ServiceError } from '../rpc/errors';
import type { CommandOptions, Timers, TimerHandle } from './at/engine';
import { AtError } from './at/errors';
import { crmNumber } from './phone';
import { findCustomerByNumber } from './store/customers';
import { iso, type StoreContext } from './store/outbox';

export type CallPhase = 'ringing' | 'dialing' | 'active' | 'ended';
export type EndReason = NonNullable<CallLogTable['end_reason']>;

export interface CallInfo {
  callId: string;
  direction: 'in' | 'out';
  number: string | null;
  customerId: string | null;
  customerName: string | null;
  phase: CallPhase;
  endReason: EndReason | null;
}

export interface CallTimings {
  /** How long to wait after RING for +CLIP before popping "unknown number" (and asking +CLCC). */
  clipGraceMs: number;
  /** No RING for this long while ringing = the caller gave up. */
  ringGapMs: number;
  clccPollMs: number;
}

export interface CallDeps {
  store: StoreContext;
  timers: Timers;
  timings: CallTimings;
  run: (command: string, opts?: CommandOptions) => Promise<string[]>;
  onIncoming: (call: CallInfo) => void;
  onState: (call: CallInfo) => void;
}

interface Live extends CallInfo {
  popped: boolean;
  answeredAtMs: number | null;
  startedAtMs: number;
  staffId: string | null;
  timers: TimerHandle[];
  poll: TimerHandle | null;
}

export class CallManager {
  private call: Live | null = null;

  constructor(private readonly deps: CallDeps) {}

  get current(): CallInfo | null {
    return this.call ? this.info(this.call) : null;
  }

  private info(c: Live): CallInfo {
    return { callId: c.callId, direction: c.direction, number: c.number, customerId: c.customerId, customerName: c.customerName, phase: c.phase, endReason: c.endReason };
  }

  /** Returns true when the URC was about calls. */
  onUrc(line: string): boolean {
    if (line === 'RING' || line.startsWith('+CRING:')) {
      void this.ring(null, false);
      return true;
    }
    const clip = /^\+CLIP:\s*"([^"]*)"/.exec(line);
    if (clip) {
      void this.ring(clip[1] ? clip[1] : null, true);
      return true;
    }
    if (line === 'NO CARRIER' || line === 'BUSY' || line === 'NO ANSWER') {
      if (this.call) void this.end(line === 'BUSY' ? 'busy' : line === 'NO ANSWER' ? 'no_answer' : 'remote_hangup');
      return true;
    }
    return false;
  }

  private arm(c: Live, ms: number, fn: () => void): TimerHandle {
    const h = this.deps.timers.setTimeout(fn, ms);
    c.timers.push(h);
    return h;
  }

  private ringGap: TimerHandle | null = null;

  private async ring(number: string | null, fromClip: boolean): Promise<void> {
    let c = this.call;
    if (c && c.direction === 'out') return;
    if (!c) {
      c = { callId: newId(this.deps.store.now()), direction: 'in', number: null, customerId: null, customerName: null, phase: 'ringing', endReason: null, popped: false, answeredAtMs: null, startedAtMs: this.deps.store.now(), staffId: null, timers: [], poll: null };
      this.call = c;
      const at = iso(this.deps.store);
      await this.deps.store.handle.db
        .insertInto('call_log')
        .values({ id: c.callId, dealer_id: this.deps.store.dealerId, direction: 'in', number: null, customer_id: null, staff_id: null, started_at: at, answered_at: null, ended_at: null, duration_s: null, missed: 0, abandoned: 0, end_reason: null, created_at: at, updated_at: at })
        .execute();
      const live = c;
      this.arm(c, this.deps.timings.clipGraceMs, () => void this.clipFallback(live));
    }
    if (c.phase === 'ringing') {
      if (this.ringGap) this.deps.timers.clearTimeout(this.ringGap);
      const live = c;
      this.ringGap = this.arm(c, this.deps.timings.ringGapMs, () => {
        if (this.call === live && live.phase === 'ringing') void this.end('remote_hangup');
      });
    }
    if (fromClip && number && c.number === null) await this.identify(c, number);
    else if (fromClip && !c.popped) this.pop(c);
  }

  private async identify(c: Live, number: string): Promise<void> {
    c.number = crmNumber(number);
    const customer = await findCustomerByNumber(this.deps.store.handle, this.deps.store.dealerId, number);
    c.customerId = customer?.id ?? null;
    c.customerName = customer?.name ?? null;
    await this.deps.store.handle.db.updateTable('call_log').set({ number: c.number, customer_id: c.customerId, updated_at: iso(this.deps.store) }).where('id', '=', c.callId).execute();
    // Pops once with the number; a pop that already showed "unknown" is updated by a second event.
    this.pop(c, true);
  }

  private pop(c: Live, force = false): void {
    if (c.popped && !force) return;
    if (this.call !== c) return;
    c.popped = true;
    this.deps.onIncoming(this.info(c));
  }

  private async clipFallback(c: Live): Promise<void> {
    if (this.call !== c || c.popped) return;
    this.pop(c);
    try {
      const lines = await this.deps.run('AT+CLCC', { prefix: '+CLCC:', timeoutMs: 3000 });
      const n = lines.map((l) => /^\+CLCC:\s*\d+,1,4,\d+,\d+,"([^"]+)"/.exec(l)?.[1]).find(Boolean);
      if (n && this.call === c && c.number === null) await this.identify(c, n);
    } catch {
      // The pop already shows "unknown number"; a failing CLCC changes nothing.
    }
  }

  async answer(staffId: string | null): Promise<CallInfo> {
    const c = this.call;
    if (!c || c.direction !== 'in' || c.phase !== 'ringing') throw new ServiceError('CONFLICT', { zh: '当前没有振铃中的来电', en: 'There is no ringing call' });
    await this.deps.run('ATA', { timeoutMs: 10_000 });
    c.phase = 'active';
    c.answeredAtMs = this.deps.store.now();
    c.staffId = staffId;
    if (this.ringGap) this.deps.timers.clearTimeout(this.ringGap);
    await this.deps.store.handle.db.updateTable('call_log').set({ answered_at: iso(this.deps.store), staff_id: staffId, updated_at: iso(this.deps.store) }).where('id', '=', c.callId).execute();
    this.startPolling(c);
    this.deps.onState(this.info(c));
    return this.info(c);
  }

  async dial(number: string, staffId: string | null, customerId: string | null): Promise<CallInfo> {
    if (this.call) throw new ServiceError('CONFLICT', { zh: '线路正忙，请先挂断当前通话', en: 'The line is busy; hang up the current call first' });
    const digits = crmNumber(number);
    if (!/^\+?[0-9*#]{3,20}$/.test(digits)) throw new ServiceError('VALIDATION', { zh: '号码格式不正确', en: 'Not a valid number' });
    // The call bar shows whom we are calling, so a given customer id is resolved to its name too.
    const customer = customerId
      ? ((await this.deps.store.handle.db.selectFrom('customer').select(['id', 'name']).where('id', '=', customerId).where('dealer_id', '=', this.deps.store.dealerId).executeTakeFirst()) ?? { id: customerId, name: null })
      : await findCustomerByNumber(this.deps.store.handle, this.deps.store.dealerId, digits);
    const c: Live = { callId: newId(this.deps.store.now()), direction: 'out', number: digits, customerId: customer?.id ?? null, customerName: customer?.name ?? null, phase: 'dialing', endReason: null, popped: true, answeredAtMs: null, startedAtMs: this.deps.store.now(), staffId, timers: [], poll: null };
    this.call = c;
    const at = iso(this.deps.store);
    await this.deps.store.handle.db
      .insertInto('call_log')
      .values({ id: c.callId, dealer_id: this.deps.store.dealerId, direction: 'out', number: digits, customer_id: c.customerId, staff_id: staffId, started_at: at, answered_at: null, ended_at: null, duration_s: null, missed: 0, abandoned: 0, end_reason: null, created_at: at, updated_at: at })
      .execute();
    try {
      await this.deps.run(`ATD${digits};`, { dial: true, timeoutMs: 30_000 });
    } catch (error) {
      const reason: EndReason = error instanceof AtError && error.kind === 'call-ended' ? (/busy/i.test(error.userMessage.en) ? 'busy' : /answer/i.test(error.userMessage.en) ? 'no_answer' : /dial tone/i.test(error.userMessage.en) ? 'no_dialtone' : 'remote_hangup') : 'port_lost';
      await this.end(reason);
      throw error instanceof AtError ? new ServiceError('UNAVAILABLE', error.userMessage) : error;
    }
    this.startPolling(c);
    this.deps.onState(this.info(c));
    return this.info(c);
  }

  async hangup(): Promise<CallInfo | null> {
    const c = this.call;
    if (!c) return null;
    try {
      await this.deps.run('ATH', { timeoutMs: 10_000 });
    } finally {
      await this.end('local_hangup');
    }
    return this.info(c);
  }

  private startPolling(c: Live): void {
    const tick = async () => {
      if (this.call !== c) return;
      try {
        const lines = await this.deps.run('AT+CLCC', { prefix: '+CLCC:', timeoutMs: 3000 });
        if (this.call !== c) return;
        const voice = lines.map((l) => /^\+CLCC:\s*\d+,\d,(\d),0/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
        if (voice.length === 0) return void this.end('remote_hangup');
        if (voice.includes('0') && c.answeredAtMs === null) {
          c.answeredAtMs = this.deps.store.now();
          c.phase = 'active';
          await this.deps.store.handle.db.updateTable('call_log').set({ answered_at: iso(this.deps.store), updated_at: iso(this.deps.store) }).where('id', '=', c.callId).execute();
          this.deps.onState(this.info(c));
        }
      } catch {
        // A missed poll is retried on the next tick; a lost port ends the call through portLost().
      }
      if (this.call === c) c.poll = this.deps.timers.setTimeout(() => void tick(), this.deps.timings.clccPollMs);
    };
    c.poll = this.deps.timers.setTimeout(() => void tick(), this.deps.timings.clccPollMs);
  }

  portLost(): void {
    if (this.call) void this.end('port_lost');
  }

  private async end(reason: EndReason): Promise<void> {
    const c = this.call;
    if (!c) return;
    this.call = null;
    for (const t of c.timers) this.deps.timers.clearTimeout(t);
    if (c.poll) this.deps.timers.clearTimeout(c.poll);
    if (this.ringGap) this.deps.timers.clearTimeout(this.ringGap);
    this.ringGap = null;
    c.phase = 'ended';
    c.endReason = reason;
    const endMs = this.deps.store.now();
    const answered = c.answeredAtMs !== null;
    const missed = c.direction === 'in' && !answered;
    // Abandoned: the caller gave up while it rang (not a seat rejecting it with ATH).
    const abandoned = missed && reason === 'remote_hangup';
    const duration = answered ? Math.round((endMs - (c.answeredAtMs as number)) / 1000) : 0;
    const at = iso(this.deps.store);
    const { db } = this.deps.store.handle;
    await db.updateTable('call_log').set({ ended_at: at, duration_s: duration, missed: missed ? 1 : 0, abandoned: abandoned ? 1 : 0, end_reason: reason, updated_at: at }).where('id', '=', c.callId).execute();
    if (c.customerId) {
      const summary = c.direction === 'in' ? (answered ? `来电 ${duration} 秒` : '未接来电') : answered ? `去电 ${duration} 秒` : '去电未接通';
      await db
        .insertInto('contact_event')
        .values({ id: newId(endMs), dealer_id: this.deps.store.dealerId, customer_id: c.customerId, vehicle_id: null, kind: c.direction === 'in' ? 'call_in' : 'call_out', occurred_at: new Date(c.startedAtMs).toISOString(), staff_id: c.staffId, summary, detail: JSON.stringify({ callId: c.callId, number: c.number, durationS: duration, missed, abandoned, endReason: reason }), created_at: at })
        .execute();
    }
    this.deps.onState(this.info(c));
  }
}
