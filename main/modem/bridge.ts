/**
 * Owns the port: connects with backoff, initialises the modem, keeps health, routes URCs, receives
 * (store → read → persist → delete), and runs the send loop over the durable outbox.
 */
import type { Bilingual } from '../../preload/messages';
import { AtEngine, type CommandOptions, type Timers, type TimerHandle } from './at/engine';
import { AtError, classifySendError } from './at/errors';
import type { AtTransport, TransportFactory } from './at/transport';
import { CallManager, type CallInfo } from './calls';
import { inQuietHours, type ModemConfig } from './config';
import { canSend, parseCpin, parseCreg, parseCsq, type ModemStatus } from './status';
import { persistIncoming, type ReceivedMessage } from './store/inbox';
import * as outbox from './store/outbox';

export interface BridgeEvents {
  status: (s: ModemStatus) => void;
  smsState: (e: { messageId: string; state: string }) => void;
  smsReceived: (m: ReceivedMessage) => void;
  incomingCall: (c: CallInfo) => void;
  callState: (c: CallInfo) => void;
  log?: (text: string) => void;
}

const REBOOT_URC = /^(RDY|SMS Ready|\+CFUN: 1|\^SYSSTART)$/;

export class ModemBridge {
  readonly status: ModemStatus;
  readonly calls: CallManager;
  private engine: AtEngine | null = null;
  private transport: AtTransport | null = null;
  private running = false;
  private reconnectTimer: TimerHandle | null = null;
  private healthTimer: TimerHandle | null = null;
  private wakeTimer: TimerHandle | null = null;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private pausedUntil = 0;
  private submits: number[] = [];
  private storageChain: Promise<unknown> = Promise.resolve();
  private currentMem: string | null = null;
  private attempt = 0;

  constructor(
    private readonly store: outbox.StoreContext,
    private readonly config: ModemConfig,
    private readonly openTransport: TransportFactory,
    private readonly timers: Timers,
    private readonly on: BridgeEvents,
  ) {
    this.status = { link: 'stopped', port: config.port, signal: null, registration: 'unknown', sim: 'unknown', paused: null, lastOkAt: null, lastError: null, reconnects: 0 };
    this.calls = new CallManager({
      store,
      timers,
      timings: config.calls,
      run: (c, o) => this.run(c, o),
      onIncoming: (c) => on.incomingCall(c),
      onState: (c) => on.callState(c),
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const id of await outbox.recoverInterrupted(this.store)) this.on.smsState({ messageId: id, state: 'uncertain' });
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of [this.reconnectTimer, this.healthTimer, this.wakeTimer]) if (t) this.timers.clearTimeout(t);
    this.engine?.shutdown();
    this.engine = null;
    const t = this.transport;
    this.transport = null;
    await t?.close();
    // Let the send loop and storage jobs record how their interrupted command ended before we return.
    await this.pumping;
    await this.storageChain;
    this.setStatus({ link: 'stopped' });
  }

  /** Runs one command on the live channel; fails with UNAVAILABLE-style AtError when disconnected. */
  run(command: string, opts: CommandOptions = {}): Promise<string[]> {
    if (!this.engine) return Promise.reject(new AtError('closed', command, null, { zh: '短信猫未连接', en: 'the modem is not connected' }));
    return this.engine.send(command, { timeoutMs: this.config.commandTimeoutMs, ...opts });
  }

  kick(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
    });
  }

  private setStatus(patch: Partial<ModemStatus>): void {
    Object.assign(this.status, patch);
    this.on.status({ ...this.status });
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.setStatus({ link: 'connecting' });
    let transport: AtTransport;
    try {
      transport = await this.openTransport();
    } catch (error) {
      this.setStatus({ link: 'disconnected', lastError: { zh: `无法打开串口 ${this.config.port}`, en: `cannot open ${this.config.port}: ${error instanceof Error ? error.message : String(error)}` } });
      return this.scheduleReconnect();
    }
    if (!this.running) return void transport.close();
    this.transport = transport;
    const engine = new AtEngine(transport, { timers: this.timers, onUrc: (u) => this.onUrc(u.line, u.pdu), defaultTimeoutMs: this.config.commandTimeoutMs, ...(this.on.log ? { log: (d, t) => this.on.log?.(`${d} ${JSON.stringify(t)}`) } : {}) });
    this.engine = engine;
    transport.onClose(() => this.onLost(engine));
    try {
      await this.init(engine, transport);
      this.attempt = 0;
      this.setStatus({ link: 'ready', lastOkAt: outbox.iso(this.store), lastError: null });
      this.scheduleHealth();
      await this.sweep();
      this.kick();
    } catch (error) {
      if (this.engine !== engine) return;
      this.setStatus({ lastError: describe(error) });
      // A modem that does not initialise is reopened, like one that vanished.
      await transport.close();
      this.onLost(engine);
    }
  }

  private onLost(engine: AtEngine): void {
    if (this.engine !== engine) return;
    engine.shutdown();
    this.engine = null;
    this.transport = null;
    this.currentMem = null;
    if (this.healthTimer) this.timers.clearTimeout(this.healthTimer);
    this.calls.portLost();
    if (!this.running) return;
    this.setStatus({ link: 'disconnected', reconnects: this.status.reconnects + 1 });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = Math.min(this.config.reconnectMaxMs, this.config.reconnectMinMs * 2 ** this.attempt++);
    this.reconnectTimer = this.timers.setTimeout(() => void this.connect(), delay);
  }

  private async init(engine: AtEngine, transport: AtTransport): Promise<void> {
    // ESC first: a modem left waiting at "> " by a crash must not take our AT as PDU text.
    await transport.write('\x1b');
    let alive = false;
    for (let i = 0; i < 5 && !alive; i++) {
      alive = await engine.send('AT', { timeoutMs: 1000 }).then(() => true, () => false);
    }
    if (!alive) throw new AtError('timeout', 'AT', null, { zh: '短信猫无响应', en: 'the modem does not answer' });
    await engine.send('ATE0');
    await engine.send('AT+CMEE=2');
    await this.checkSim(engine);
    if (this.status.sim !== 'ready') return;
    await engine.send('AT+CMGF=0');
    // Store-and-indicate (+CMTI/+CDSI): a crash before we persist cannot lose a message.
    await engine.send('AT+CNMI=2,1,0,2,1').catch(() => engine.send('AT+CNMI=1,1,0,2,1'));
    await engine.send('AT+CLIP=1');
    await engine.send('AT+CREG=2').catch(() => engine.send('AT+CREG=1'));
    await this.poll(engine);
  }

  private async checkSim(engine: AtEngine): Promise<void> {
    try {
      const lines = await engine.send('AT+CPIN?', { prefix: '+CPIN:' });
      const sim = parseCpin(lines[0] ?? '');
      this.setStatus({ sim, paused: sim === 'ready' ? null : { zh: 'SIM 卡未就绪（需要 PIN/PUK 或未插卡）', en: 'SIM not ready (PIN/PUK needed or no SIM)' } });
    } catch (error) {
      this.setStatus({ sim: error instanceof AtError && error.code === 10 ? 'absent' : 'error', paused: { zh: 'SIM 卡异常', en: 'SIM problem' }, lastError: describe(error) });
    }
  }

  private async poll(engine: AtEngine): Promise<void> {
    const signal = parseCsq(await engine.send('AT+CSQ', { prefix: '+CSQ:' }));
    const creg = await engine.send('AT+CREG?', { prefix: '+CREG:' });
    const registration = parseCreg(creg[0] ?? '', true) ?? 'unknown';
    this.setStatus({ signal, registration, lastOkAt: outbox.iso(this.store) });
  }

  private scheduleHealth(): void {
    if (this.healthTimer) this.timers.clearTimeout(this.healthTimer);
    this.healthTimer = this.timers.setTimeout(() => void this.health(), this.config.healthIntervalMs);
  }

  private async health(): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    try {
      const simBefore = this.status.sim;
      await this.checkSim(engine);
      if (this.status.sim === 'ready' && simBefore !== 'ready') await this.init(engine, this.transport as AtTransport);
      else if (this.status.sim === 'ready') await this.poll(engine);
    } catch (error) {
      this.setStatus({ lastError: describe(error) });
      // Several commands in a row unanswered: the channel is dead even if the port is open.
      if (engine.timeouts >= 3) await this.transport?.close();
    }
    this.scheduleHealth();
    this.kick();
  }

  private onUrc(line: string, pdu?: string): void {
    this.on.log?.(`urc ${line}${pdu ? ` ${pdu}` : ''}`);
    if (this.calls.onUrc(line)) return;
    const stored = /^\+C(?:MTI|DSI):\s*"(\w+)",\s*(\d+)/.exec(line);
    if (stored) return void this.readStored(stored[1] as string, Number(stored[2]));
    if ((line.startsWith('+CMT:') || line.startsWith('+CDS:')) && pdu) return void this.withStorage(() => this.handlePdu(pdu));
    const reg = parseCreg(line, false);
    if (reg) {
      this.setStatus({ registration: reg });
      return this.kick();
    }
    if (REBOOT_URC.test(line) && this.engine && this.transport) {
      // The modem rebooted under us: its settings are gone (echo on, no CNMI); initialise again.
      const engine = this.engine;
      this.currentMem = null;
      void this.init(engine, this.transport).then(() => this.kick(), (e: unknown) => this.setStatus({ lastError: describe(e) }));
    }
  }

  /** Storage commands (CPMS + CMGR + CMGD) must not interleave with each other. */
  private withStorage<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.storageChain.then(fn, fn);
    this.storageChain = next.catch(() => undefined);
    return next;
  }

  private async selectMem(mem: string): Promise<void> {
    if (this.currentMem === mem) return;
    await this.run(`AT+CPMS="${mem}"`, { prefix: '+CPMS:' });
    this.currentMem = mem;
  }

  private readStored(mem: string, index: number): Promise<void> {
    return this.withStorage(async () => {
      try {
        await this.selectMem(mem);
        const lines = await this.run(`AT+CMGR=${index}`, { prefix: '+CMGR:', pduFollows: true });
        const pdu = lines[1];
        if (pdu) await this.handlePdu(pdu);
        // Deleted only once persisted: a crash before this line means the sweep reads it again,
        // and the fingerprint table makes that second read harmless.
        await this.run(`AT+CMGD=${index}`);
      } catch (error) {
        this.setStatus({ lastError: describe(error) });
      }
    });
  }

  /** Start-up sweep: anything stored while we were away (or not yet deleted) is read now. */
  private sweep(): Promise<void> {
    return this.withStorage(async () => {
      for (const mem of ['SM', 'SR']) {
        try {
          await this.selectMem(mem);
          const lines = await this.run('AT+CMGL=4', { prefix: '+CMGL:', pduFollows: true, timeoutMs: 60_000 });
          for (let i = 0; i + 1 < lines.length; i += 2) {
            const index = Number(/^\+CMGL:\s*(\d+)/.exec(lines[i] as string)?.[1]);
            await this.handlePdu(lines[i + 1] as string);
            await this.run(`AT+CMGD=${index}`);
          }
        } catch (error) {
          this.setStatus({ lastError: describe(error) });
        }
      }
    });
  }

  private async handlePdu(pdu: string): Promise<void> {
    const result = await persistIncoming(this.store, pdu);
    if (result.kind === 'message') this.on.smsReceived(result.message);
    else if (result.kind === 'report') {
      const r = result.report;
      const applied = await outbox.applyReport(this.store, { reference: r.reference, recipient: r.recipient, status: r.status, outcome: r.outcome, dischargedAt: r.dischargedAt }, this.config.reportWindowMs);
      if (applied) this.on.smsState(applied);
    }
  }

  // ---------- sending ----------
  private wakeIn(ms: number): void {
    if (this.wakeTimer) this.timers.clearTimeout(this.wakeTimer);
    this.wakeTimer = this.timers.setTimeout(() => this.kick(), Math.max(10, ms));
  }

  private async pump(): Promise<void> {
    do {
      this.pumpAgain = false;
      while (this.running && this.engine && canSend(this.status)) {
        const now = this.store.now();
        if (now < this.pausedUntil) {
          this.wakeIn(this.pausedUntil - now);
          break;
        }
        this.submits = this.submits.filter((t) => t > now - 60_000);
        if (this.submits.length >= this.config.ratePerMinute) {
          this.wakeIn((this.submits[0] as number) + 60_000 - now);
          break;
        }
        for (const id of outbox.expireOverdue(this.store)) this.on.smsState({ messageId: id, state: 'failed' });
        const part = await outbox.nextDue(this.store, !inQuietHours(this.config, now));
        if (!part) {
          const at = await outbox.nextWakeAt(this.store);
          // Retries wake at their time; marketing held by quiet hours is looked at again each minute.
          this.wakeIn(at ? Date.parse(at) - now : 60_000);
          break;
        }
        await this.submit(part);
      }
    } while (this.pumpAgain);
  }

  private async submit(part: outbox.DuePart): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    await outbox.markSending(this.store, part);
    this.on.smsState({ messageId: part.message_id, state: 'sending' });
    this.submits.push(this.store.now());
    try {
      const lines = await engine.sendPdu(part.tpdu_length, part.pdu, { promptTimeoutMs: this.config.promptTimeoutMs, timeoutMs: this.config.submitTimeoutMs });
      const mr = Number(/^\+CMGS:\s*(\d+)/.exec(lines[0] ?? '')?.[1] ?? NaN);
      await outbox.markSent(this.store, part.id, Number.isFinite(mr) ? mr : null);
      this.setStatus({ lastOkAt: outbox.iso(this.store) });
    } catch (error) {
      await this.onSubmitError(part, error);
    }
    this.on.smsState({ messageId: part.message_id, state: await outbox.rollUp(this.store, part.message_id) });
  }

  private async onSubmitError(part: outbox.DuePart, error: unknown): Promise<void> {
    const e = error instanceof AtError ? error : new AtError('error', 'AT+CMGS', null, describe(error));
    const text = `${e.userMessage.zh} / ${e.userMessage.en}`;
    const explicit = e.kind === 'cms' || e.kind === 'cme' || e.kind === 'error';
    if (e.submitted && !explicit) {
      // Ctrl-Z was written and no answer came (timeout, port gone, reboot): it may have left.
      await outbox.markUncertain(this.store, part, text);
      return;
    }
    if (!explicit) {
      // No prompt, or the port went away before Ctrl-Z: provably not sent, and not the message's fault.
      await outbox.markRetry(this.store, part, 0, { code: null, text }, this.config.maxAttempts, false);
      return;
    }
    const cls = classifySendError(e);
    if (cls === 'duplicate') return outbox.markSent(this.store, part.id, null);
    if (cls === 'permanent') return outbox.markFailed(this.store, part, { code: e.code, text });
    if (cls === 'modem') {
      this.pausedUntil = this.store.now() + this.config.pauseMs;
      this.setStatus({ paused: e.userMessage, lastError: e.userMessage });
      this.timers.setTimeout(() => this.setStatus({ paused: this.status.sim === 'ready' ? null : this.status.paused }), this.config.pauseMs);
      await outbox.markRetry(this.store, part, this.config.pauseMs, { code: e.code, text }, this.config.maxAttempts, false);
      return;
    }
    const delays = this.config.retryDelaysMs;
    const delay = delays[Math.min(part.attempts, delays.length - 1)] ?? 5000;
    await outbox.markRetry(this.store, part, delay, { code: e.code, text }, this.config.maxAttempts, true);
  }
}

export function describe(error: unknown): Bilingual {
  if (error instanceof AtError) return error.userMessage;
  const m = error instanceof Error ? error.message : String(error);
  return { zh: `内部错误：${m}`, en: m };
}
