/**
 * A GSM modem simulator speaking the AT dialect our bridge uses (PDU mode SMS with status reports,
 * store-and-indicate reception, caller ID, voice dial/hang-up, +CLCC), with configurable delays and
 * faults. It records every SUBMIT it accepted so tests can count lost and duplicated SMS.
 */
import { buildDeliver, buildStatusReport, decodeSubmit, type SubmitPdu } from '../../main/modem/pdu';
import { FAST_DELAYS, type Fault, type SentRecord, type SimDelays } from './types';

export { FAST_DELAYS, REALISTIC_DELAYS, sentMessages, type Fault, type SentRecord, type SimDelays } from './types';

export interface SimOptions {
  delays?: Partial<SimDelays>;
  mrStart?: number;
  /** TP-ST put in status reports (0 = delivered). */
  reportStatus?: number;
  /** What the far end does when we dial. */
  dialOutcome?: 'answer' | 'busy' | 'no_answer';
  simState?: 'READY' | 'SIM PIN' | 'NOT INSERTED';
  now?: () => number;
  log?: (line: string) => void;
}

interface Call {
  id: number;
  direction: 0 | 1; // +CLCC dir: 0 mobile originated, 1 terminated
  state: 0 | 2 | 3 | 4; // active, dialing, alerting, incoming
  number: string | null;
}

type Mem = 'SM' | 'SR';

export class ModemSim {
  readonly delays: SimDelays;
  readonly sent: SentRecord[] = [];
  /** Every command line received, for tests that check what the bridge asked. */
  readonly commands: string[] = [];
  private out: ((s: string) => void) | null = null;
  private buf = '';
  private mode: 'command' | 'pdu' | 'stuck' = 'command';
  private pduLength = 0;
  private echo = true;
  private cmee = 0;
  private cnmiMt = 0;
  private cnmiDs = 0;
  private clip = false;
  private cregMode = 0;
  private mr: number;
  private readonly faults: Fault[] = [];
  private readonly storage: Record<Mem, Map<number, string>> = { SM: new Map(), SR: new Map() };
  private readMem: Mem = 'SM';
  private call: Call | null = null;
  private ringTimer: ReturnType<typeof setInterval> | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private concatRef = 0;
  simState: 'READY' | 'SIM PIN' | 'NOT INSERTED';
  registered = true;
  csq = 23;
  private readonly now: () => number;

  constructor(private readonly options: SimOptions = {}) {
    this.delays = { ...FAST_DELAYS, ...options.delays };
    this.mr = options.mrStart ?? 0;
    this.simState = options.simState ?? 'READY';
    this.now = options.now ?? Date.now;
  }

  /** Connects the simulator to a byte pipe (a serial port on one end of a socat pair, or a test double). */
  attach(write: (s: string) => void): { onData: (chunk: Buffer | string) => void } {
    this.out = write;
    this.buf = '';
    this.mode = 'command';
    return { onData: (chunk) => this.onData(typeof chunk === 'string' ? chunk : chunk.toString('latin1')) };
  }

  detach(): void {
    this.out = null;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.ringTimer) clearInterval(this.ringTimer);
    this.ringTimer = null;
    this.out = null;
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  // ---------- control API ----------
  /** A customer texts us; long texts arrive as several stored parts, each announced by +CMTI. */
  injectSms(sender: string, text: string, timestamp = new Date(this.now()).toISOString()): number[] {
    this.concatRef = (this.concatRef + 1) % 256;
    const pdus = buildDeliver({ sender, text, timestamp, concatRef: this.concatRef, smsc: '+8613800200500' });
    return pdus.map((pdu) => this.store('SM', pdu));
  }

  /** Stores a raw PDU as if the network delivered it (e.g. the same PDU twice, to test re-delivery). */
  injectRawPdu(pdu: string, mem: Mem = 'SM'): number {
    return this.store(mem, pdu);
  }

  injectCall(number: string | null): void {
    this.call = { id: 1, direction: 1, state: 4, number };
    const ring = () => {
      this.emit('RING');
      if (this.clip) this.emit(number ? `+CLIP: "${number}",${number.startsWith('+') ? 145 : 129},"",0,"",0` : '+CLIP: "",128,"",0,"",1');
    };
    ring();
    this.ringTimer = setInterval(ring, this.delays.ringMs);
  }

  /** The far end hangs up (caller gives up while ringing, or ends the conversation). */
  remoteHangup(): void {
    if (!this.call) return;
    this.endCall();
    this.emit('NO CARRIER');
  }

  /** The modem reboots: settings back to defaults, then the boot URCs. Stored messages survive (SIM). */
  reset(): void {
    this.echo = true;
    this.cmee = 0;
    this.cnmiMt = 0;
    this.cnmiDs = 0;
    this.clip = false;
    this.cregMode = 0;
    this.mode = 'command';
    this.buf = '';
    this.endCall();
    this.later(this.delays.commandMs * 5, () => {
      this.emit('RDY');
      this.emit('+CPIN: READY');
      this.emit('SMS Ready');
    });
  }

  get callState(): Call | null {
    return this.call;
  }

  stored(mem: Mem): number {
    return this.storage[mem].size;
  }

  // ---------- wire ----------
  private write(s: string): void {
    this.options.log?.(`sim> ${JSON.stringify(s)}`);
    this.out?.(s);
  }

  private emit(line: string): void {
    this.write(`\r\n${line}\r\n`);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private onData(text: string): void {
    this.buf += text;
    for (;;) {
      if (this.mode === 'pdu' || this.mode === 'stuck') {
        const end = this.buf.search(/[\x1a\x1b]/);
        if (end < 0) return;
        const body = this.buf.slice(0, end).replace(/[\r\n]/g, '');
        const submit = this.buf[end] === '\x1a' && this.mode === 'pdu';
        this.buf = this.buf.slice(end + 1);
        this.mode = 'command';
        if (submit) this.onSubmit(body);
        continue;
      }
      const end = this.buf.search(/\r/);
      if (end < 0) {
        // A lone ESC in command mode (a bridge clearing a stuck prompt) is ignored, as modems do.
        this.buf = this.buf.replace(/^[\x1b\n]+/, '');
        return;
      }
      const line = this.buf.slice(0, end).replace(/^[\x1b\n]+/, '').trim();
      this.buf = this.buf.slice(end + 1);
      if (line) this.onCommand(line);
    }
  }

  private onCommand(line: string): void {
    this.commands.push(line);
    this.options.log?.(`sim< ${line}`);
    const silent = this.faults[0]?.type === 'silent' ? (this.faults[0] as { type: 'silent'; count?: number }) : null;
    if (silent) {
      silent.count = (silent.count ?? 1) - 1;
      if (silent.count <= 0) this.faults.shift();
      return;
    }
    if (this.echo) this.write(`${line}\r`);
    const cmgs = /^AT\+CMGS=(\d+)$/i.exec(line);
    if (cmgs) {
      this.pduLength = Number(cmgs[1]);
      if (this.faults[0]?.type === 'noPrompt') {
        this.faults.shift();
        this.mode = 'stuck';
        return;
      }
      this.mode = 'pdu';
      this.later(this.delays.commandMs, () => this.write('\r\n> '));
      return;
    }
    const reply = this.answer(line);
    if (reply !== null) this.later(this.delays.commandMs, () => this.write(reply.map((l) => `\r\n${l}\r\n`).join('')));
  }

  private error(kind: 'CME' | 'CMS', code: number): string {
    return this.cmee === 0 ? 'ERROR' : `+${kind} ERROR: ${code}`;
  }

  private simReady(): string | null {
    if (this.simState === 'READY') return null;
    return this.error('CME', this.simState === 'SIM PIN' ? 11 : 10);
  }

  /** Lines to send back for one command (final result last), or null when the answer comes later. */
  private answer(line: string): string[] | null {
    const u = line.toUpperCase();
    let m: RegExpExecArray | null;
    if (u === 'AT' || u === 'ATV1' || u === 'ATZ') return ['OK'];
    if ((m = /^ATE([01])$/.exec(u))) {
      this.echo = m[1] === '1';
      return ['OK'];
    }
    if ((m = /^AT\+CMEE=([012])$/.exec(u))) {
      this.cmee = Number(m[1]);
      return ['OK'];
    }
    if (u === 'AT+CPIN?') return this.simState === 'NOT INSERTED' ? [this.error('CME', 10)] : [`+CPIN: ${this.simState}`, 'OK'];
    if (u === 'AT+CSQ') return [`+CSQ: ${this.registered ? this.csq : 99},99`, 'OK'];
    if ((m = /^AT\+CREG=([012])$/.exec(u))) {
      this.cregMode = Number(m[1]);
      return ['OK'];
    }
    if (u === 'AT+CREG?') return [`+CREG: ${this.cregMode},${this.registered ? 1 : 2}${this.cregMode === 2 ? ',"1A2B","00C3D4E5"' : ''}`, 'OK'];
    if (u === 'AT+CGSN') return ['867584030000001', 'OK'];
    if (u === 'AT+CIMI') return ['460001234567890', 'OK'];
    if (u === 'AT+CSCA?') return ['+CSCA: "+8613800200500",145', 'OK'];
    if (/^AT\+(CMMS|CSMS|CFUN)=/.test(u)) return ['OK'];
    const busySim = this.simReady();
    if (/^AT\+(CMGF|CNMI|CPMS|CMGR|CMGD|CMGL)/.test(u) && busySim) return [busySim];
    if ((m = /^AT\+CMGF=([01])$/.exec(u))) return m[1] === '0' ? ['OK'] : [this.error('CMS', 303)];
    if ((m = /^AT\+CNMI=(\d),(\d),(\d),(\d),(\d)$/.exec(u))) {
      this.cnmiMt = Number(m[2]);
      this.cnmiDs = Number(m[4]);
      return ['OK'];
    }
    if ((m = /^AT\+CPMS="(SM|SR|ME)"/.exec(u))) {
      this.readMem = m[1] === 'SR' ? 'SR' : 'SM';
      const n = this.storage[this.readMem].size;
      return [`+CPMS: ${n},50,${n},50,${n},50`, 'OK'];
    }
    if ((m = /^AT\+CMGR=(\d+)$/.exec(u))) {
      const pdu = this.storage[this.readMem].get(Number(m[1]));
      return pdu ? [`+CMGR: 0,,${pdu.length / 2 - 1 - parseInt(pdu.slice(0, 2), 16)}`, pdu, 'OK'] : [this.error('CMS', 321)];
    }
    if ((m = /^AT\+CMGD=(\d+)(?:,(\d))?$/.exec(u))) {
      if (m[2] && m[2] !== '0') this.storage[this.readMem].clear();
      else this.storage[this.readMem].delete(Number(m[1]));
      return ['OK'];
    }
    if ((m = /^AT\+CMGL=(\d)$/.exec(u))) {
      const lines: string[] = [];
      for (const [i, pdu] of this.storage[this.readMem]) lines.push(`+CMGL: ${i},0,,${pdu.length / 2 - 1 - parseInt(pdu.slice(0, 2), 16)}`, pdu);
      return [...lines, 'OK'];
    }
    if ((m = /^AT\+CLIP=([01])$/.exec(u))) {
      this.clip = m[1] === '1';
      return ['OK'];
    }
    if (u === 'AT+CLCC') {
      const c = this.call;
      return c ? [`+CLCC: ${c.id},${c.direction},${c.state},0,0,"${c.number ?? ''}",${c.number?.startsWith('+') ? 145 : 129}`, 'OK'] : ['OK'];
    }
    if (u === 'ATA') {
      if (!this.call || this.call.state !== 4) return ['NO CARRIER'];
      this.stopRinging();
      this.call.state = 0;
      return ['OK'];
    }
    if (u === 'ATH' || u === 'ATH0' || u === 'AT+CHUP') {
      this.endCall();
      return ['OK'];
    }
    if ((m = /^ATD([+0-9*#]+);$/.exec(u))) return this.dial(m[1] as string);
    return [this.error('CME', 4)];
  }

  private dial(number: string): string[] | null {
    if (!this.registered) return ['NO DIALTONE'];
    if (this.call) return [this.error('CME', 3)];
    const call: Call = { id: 1, direction: 0, state: 2, number };
    this.call = call;
    this.later(this.delays.dialMs / 2, () => {
      if (this.call === call) call.state = 3;
    });
    this.later(this.delays.dialMs, () => {
      if (this.call !== call) return;
      const outcome = this.options.dialOutcome ?? 'answer';
      if (outcome === 'answer') call.state = 0;
      else {
        this.call = null;
        this.emit(outcome === 'busy' ? 'BUSY' : 'NO ANSWER');
      }
    });
    return ['OK'];
  }

  private stopRinging(): void {
    if (this.ringTimer) clearInterval(this.ringTimer);
    this.ringTimer = null;
  }

  private endCall(): void {
    this.stopRinging();
    this.call = null;
  }

  private store(mem: Mem, pdu: string): number {
    let index = 1;
    while (this.storage[mem].has(index)) index++;
    this.storage[mem].set(index, pdu);
    const announce = mem === 'SM' ? this.cnmiMt === 1 || this.cnmiMt === 2 : this.cnmiDs === 2;
    if (announce) this.emit(`${mem === 'SM' ? '+CMTI' : '+CDSI'}: "${mem}",${index}`);
    return index;
  }

  private onSubmit(hex: string): void {
    let submit: SubmitPdu;
    try {
      submit = decodeSubmit(hex);
      if (hex.length / 2 - 1 !== this.pduLength) throw new Error('length');
    } catch {
      this.later(this.delays.commandMs, () => this.emit(this.error('CMS', 304)));
      return;
    }
    const fault = this.faults[0];
    if (fault?.type === 'cms') {
      fault.count = (fault.count ?? 1) - 1;
      if (fault.count <= 0) this.faults.shift();
      this.later(this.delays.submitMs, () => this.emit(this.error('CMS', fault.code)));
      return;
    }
    if (!this.registered) {
      this.later(this.delays.commandMs, () => this.emit(this.error('CMS', 331)));
      return;
    }
    const mr = this.mr;
    this.mr = (this.mr + 1) % 256;
    const record: SentRecord = {
      index: this.sent.length,
      mr,
      recipient: submit.recipient,
      pdu: hex,
      text: submit.text,
      concat: submit.concat,
      statusReport: submit.statusReport,
      at: this.now(),
    };
    this.sent.push(record);
    let delay = this.delays.submitMs;
    if (fault?.type === 'noResult') {
      this.faults.shift();
      return;
    }
    if (fault?.type === 'holdResult') {
      this.faults.shift();
      delay = fault.ms;
    }
    this.later(delay, () => {
      this.write(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`);
      if (submit.statusReport) this.later(this.delays.reportMs, () => this.report(record));
    });
  }

  private report(record: SentRecord): void {
    const at = new Date(this.now()).toISOString();
    const pdu = buildStatusReport({
      reference: record.mr,
      recipient: record.recipient,
      submittedAt: new Date(record.at).toISOString(),
      dischargedAt: at,
      status: this.options.reportStatus ?? 0,
      smsc: '+8613800200500',
    });
    this.store('SR', pdu);
  }
}
