/**
 * The AT channel: one command in flight, whole-line final-result matching, the "> " prompt detected
 * without a line end, and every line that does not belong to the command in flight routed as an
 * unsolicited result code — so RING/+CLIP/+CMTI arriving mid-response are never lost or mistaken.
 * Modelled on Android reference-ril's atchannel (research/modem.md §1.10).
 */
import { AtError, parseErrorLine } from './errors';
import type { AtTransport } from './transport';

export interface Urc {
  line: string;
  /** Second line of a two-line URC (+CMT, +CDS, +CBM): the PDU. */
  pdu?: string;
}

export type TimerHandle = ReturnType<typeof setTimeout>;
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
export const realTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h) };

export interface CommandOptions {
  /** Lines starting with one of these are the command's response; anything else is unsolicited. */
  prefix?: string | readonly string[];
  /** Any line that is not a known URC is response (AT+CGSN, AT+CIMI print bare values). */
  raw?: boolean;
  /** Each prefixed header line is followed by a PDU line (+CMGR, +CMGL). */
  pduFollows?: boolean;
  /** ATD…; — NO CARRIER / BUSY / NO ANSWER / NO DIALTONE end this command instead of being URCs. */
  dial?: boolean;
  timeoutMs?: number;
}

export interface PduOptions {
  promptTimeoutMs?: number;
  /** Vendors document up to 120 s for +CMGS ("determined by network"); restarted by any activity. */
  timeoutMs?: number;
}

interface Job {
  command: string;
  opts: CommandOptions;
  pdu: { body: string; promptTimeoutMs: number; timeoutMs: number } | null;
  phase: 'command' | 'submitted';
  lines: string[];
  expectPduLine: boolean;
  resolve: (lines: string[]) => void;
  reject: (error: AtError) => void;
  timer: TimerHandle | null;
}

const TWO_LINE_URCS = ['+CMT:', '+CDS:', '+CBM:'];
const CALL_END = ['NO CARRIER', 'BUSY', 'NO ANSWER', 'NO DIALTONE'];
const KNOWN_URC = /^(RING|\+CRING:|\+CLIP:|\+CMTI:|\+CDSI:|\+CREG:|\+CGREG:|\+CEREG:|\+CUSD:|NO CARRIER|BUSY|NO ANSWER|RDY|\^|SMS Ready|Call Ready|\+CFUN:|\+CPIN:|\+QIND:)/;

export interface EngineOptions {
  timers?: Timers;
  onUrc: (urc: Urc) => void;
  defaultTimeoutMs?: number;
  /** Quiet time after a timeout or ESC, so a late OK cannot complete the next command. */
  drainMs?: number;
  log?: (direction: 'tx' | 'rx', text: string) => void;
}

export class AtEngine {
  private buf = '';
  private current: Job | null = null;
  private readonly queue: Job[] = [];
  private pendingUrc: string | null = null;
  private closed = false;
  private draining = false;
  private readonly timers: Timers;
  /** Consecutive timeouts: the bridge reopens the port when the channel looks dead. */
  timeouts = 0;

  constructor(
    private readonly transport: AtTransport,
    private readonly options: EngineOptions,
  ) {
    this.timers = options.timers ?? realTimers;
    transport.onData((chunk) => this.onData(chunk.toString('latin1')));
    transport.onClose(() => this.fail('closed'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(command: string, opts: CommandOptions = {}): Promise<string[]> {
    return this.enqueue(command, opts, null);
  }

  /** AT+CMGS=<n>, wait for "> ", write the PDU and Ctrl-Z, wait for +CMGS: <mr>. */
  sendPdu(tpduLength: number, pduHex: string, opts: PduOptions = {}): Promise<string[]> {
    return this.enqueue(`AT+CMGS=${tpduLength}`, { prefix: '+CMGS:' }, {
      body: pduHex,
      promptTimeoutMs: opts.promptTimeoutMs ?? 10_000,
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
  }

  /** Rejects everything queued and in flight; the transport is the owner's to close. */
  shutdown(): void {
    this.fail('closed');
  }

  private enqueue(command: string, opts: CommandOptions, pdu: Job['pdu']): Promise<string[]> {
    if (this.closed) return Promise.reject(this.closedError(command, false));
    return new Promise<string[]>((resolve, reject) => {
      this.queue.push({ command, opts, pdu, phase: 'command', lines: [], expectPduLine: false, resolve, reject, timer: null });
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.current || this.draining || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    this.arm(job, job.pdu ? job.pdu.promptTimeoutMs : (job.opts.timeoutMs ?? this.options.defaultTimeoutMs ?? 5000));
    this.write(`${job.command}\r`);
  }

  private arm(job: Job, ms: number): void {
    if (job.timer) this.timers.clearTimeout(job.timer);
    job.timer = this.timers.setTimeout(() => this.onTimeout(job), ms);
  }

  private write(text: string): void {
    this.options.log?.('tx', text);
    this.transport.write(text).catch(() => this.fail('closed'));
  }

  private finish(job: Job, outcome: { lines: string[] } | { error: AtError }, drain = false): void {
    if (this.current !== job) return;
    if (job.timer) this.timers.clearTimeout(job.timer);
    this.current = null;
    if ('error' in outcome) job.reject(outcome.error);
    else {
      this.timeouts = 0;
      job.resolve(outcome.lines);
    }
    if (drain && !this.closed) {
      this.draining = true;
      this.timers.setTimeout(() => {
        this.draining = false;
        this.startNext();
      }, this.options.drainMs ?? 300);
    } else {
      // Let the caller's continuation queue its next command before we pick from the queue.
      queueMicrotask(() => this.startNext());
    }
  }

  private onTimeout(job: Job): void {
    if (this.current !== job) return;
    this.timeouts++;
    if (job.pdu && job.phase === 'command') {
      // ESC aborts the prompt; Ctrl-Z would submit whatever half a PDU the modem holds.
      this.write('\x1b');
      this.finish(job, { error: new AtError('prompt-timeout', job.command, null, { zh: '等待短信输入提示超时', en: 'no "> " prompt from the modem' }) }, true);
      return;
    }
    const submitted = job.phase === 'submitted';
    this.finish(
      job,
      {
        error: new AtError(
          'timeout',
          job.command,
          null,
          submitted
            ? { zh: '短信已提交，但模块未确认（结果未知）', en: 'SMS submitted but never confirmed (outcome unknown)' }
            : { zh: '模块无响应', en: 'the modem did not answer' },
          submitted,
        ),
      },
      true,
    );
  }

  private closedError(command: string, submitted: boolean): AtError {
    return new AtError('closed', command, null, { zh: '串口已断开', en: 'the serial port is closed' }, submitted);
  }

  private fail(_why: 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    const job = this.current;
    this.current = null;
    if (job) {
      if (job.timer) this.timers.clearTimeout(job.timer);
      job.reject(this.closedError(job.command, job.phase === 'submitted'));
    }
    for (const queued of this.queue.splice(0)) queued.reject(this.closedError(queued.command, false));
  }

  private onData(text: string): void {
    this.options.log?.('rx', text);
    this.buf += text;
    for (;;) {
      this.buf = this.buf.replace(/^[\r\n]+/, '');
      const job = this.current;
      if (job?.pdu && job.phase === 'command' && this.buf.startsWith('>')) {
        this.buf = this.buf.replace(/^> ?/, '');
        job.phase = 'submitted';
        this.arm(job, job.pdu.timeoutMs);
        this.write(`${job.pdu.body}\x1a`);
        continue;
      }
      const end = this.buf.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buf.slice(0, end).trim();
      this.buf = this.buf.slice(end + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.pendingUrc !== null) {
      const header = this.pendingUrc;
      this.pendingUrc = null;
      this.options.onUrc({ line: header, pdu: line });
      return;
    }
    const job = this.current;
    if (job) {
      if (job.expectPduLine) {
        job.lines.push(line);
        job.expectPduLine = false;
        return;
      }
      // Echo (before ATE0 takes effect, or a modem that ignores it) is not a response.
      if (line === job.command || line === job.pdu?.body) return;
      if (line === 'OK') return this.finish(job, { lines: job.lines });
      const error = parseErrorLine(line, job.command);
      if (error) {
        const submitted = job.phase === 'submitted';
        return this.finish(job, { error: new AtError(error.kind, error.command, error.code, error.userMessage, submitted) });
      }
      if (job.opts.dial && CALL_END.includes(line)) {
        return this.finish(job, { error: new AtError('call-ended', job.command, null, callEndMessage(line)) });
      }
      const prefixes = typeof job.opts.prefix === 'string' ? [job.opts.prefix] : (job.opts.prefix ?? []);
      if (prefixes.some((p) => line.startsWith(p)) || (job.opts.raw && !KNOWN_URC.test(line) && !line.startsWith('AT'))) {
        job.lines.push(line);
        if (job.opts.pduFollows && prefixes.some((p) => line.startsWith(p))) job.expectPduLine = true;
        this.arm(job, job.pdu ? job.pdu.timeoutMs : (job.opts.timeoutMs ?? this.options.defaultTimeoutMs ?? 5000));
        return;
      }
    }
    if (TWO_LINE_URCS.some((p) => line.startsWith(p))) {
      this.pendingUrc = line;
      return;
    }
    // A stray final result with nothing in flight (late answer after ESC or a timeout) is dropped.
    if (line === 'OK' || line === 'ERROR') return;
    this.options.onUrc({ line });
  }
}

export function callEndMessage(line: string): { zh: string; en: string } {
  switch (line) {
    case 'BUSY':
      return { zh: '对方忙', en: 'the line is busy' };
    case 'NO ANSWER':
      return { zh: '无人接听', en: 'no answer' };
    case 'NO DIALTONE':
      return { zh: '无拨号音（无网络）', en: 'no dial tone (no network)' };
    default:
      return { zh: '通话已结束', en: 'the call ended' };
  }
}
