import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtEngine, type Urc } from '../../../main/modem/at/engine';
import { AtError, classifySendError, parseErrorLine } from '../../../main/modem/at/errors';
import { FakeTimers, FakeTransport, flush } from './fakes';

function setup() {
  const t = new FakeTransport();
  const timers = new FakeTimers();
  const urcs: Urc[] = [];
  const engine = new AtEngine(t, { timers, onUrc: (u) => urcs.push(u), drainMs: 100 });
  return { t, timers, urcs, engine };
}

async function rejection(p: Promise<unknown>): Promise<AtError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AtError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('AT engine', () => {
  it('collects prefixed lines, routes RING/+CLIP that arrive mid-response, and ends on a whole-line OK', async () => {
    const { t, urcs, engine } = setup();
    const p = engine.send('AT+CSQ', { prefix: '+CSQ:' });
    await flush();
    expect(t.written).toEqual(['AT+CSQ\r']);
    t.push('\r\nRING\r\n\r\n+CSQ: 21,99\r\n+CLIP: "13812345678",129,"",0,"",0\r\n\r\nOK\r\n');
    expect(await p).toEqual(['+CSQ: 21,99']);
    expect(urcs.map((u) => u.line)).toEqual(['RING', '+CLIP: "13812345678",129,"",0,"",0']);
  });

  it('never treats OK or ERROR inside a line as a final result', async () => {
    const { t, engine } = setup();
    const p = engine.send('AT+COPS?', { prefix: '+COPS:' });
    await flush();
    t.push('\r\n+COPS: 0,0,"ERROR OK NET"\r\n\r\nOK\r\n');
    expect(await p).toEqual(['+COPS: 0,0,"ERROR OK NET"']);
  });

  it('runs one command at a time, in order', async () => {
    const { t, engine } = setup();
    const a = engine.send('ATE0');
    const b = engine.send('AT+CMGF=0');
    await flush();
    expect(t.written).toEqual(['ATE0\r']);
    t.push('ATE0\r\r\nOK\r\n'); // echo of the command itself is ignored
    await a;
    await flush();
    expect(t.written).toEqual(['ATE0\r', 'AT+CMGF=0\r']);
    t.push('\r\nOK\r\n');
    await b;
  });

  it('detects the "> " prompt without a line end, writes PDU + Ctrl-Z, and routes +CMTI that comes before +CMGS', async () => {
    const { t, urcs, engine } = setup();
    const p = engine.sendPdu(18, '0011000B916407281553F80000AA0AE8329BFD4697D9EC37');
    await flush();
    t.push('\r\n> ');
    await flush();
    expect(t.written[1]).toBe('0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a');
    t.push('\r\n+CMTI: "SM",3\r\n\r\n+CMGS: 42\r\n\r\nOK\r\n');
    expect(await p).toEqual(['+CMGS: 42']);
    expect(urcs).toEqual([{ line: '+CMTI: "SM",3' }]);
  });

  it('maps +CMS ERROR after Ctrl-Z to a readable, classified error marked submitted', async () => {
    const { t, engine } = setup();
    const p = engine.sendPdu(18, '00AA');
    await flush();
    t.push('> ');
    await flush();
    t.push('\r\n+CMS ERROR: 332\r\n');
    const e = await rejection(p);
    expect([e.kind, e.code, e.submitted]).toEqual(['cms', 332, true]);
    expect(e.userMessage.zh).toContain('网络超时');
    expect(e.userMessage.en).toContain('network timeout');
    expect(classifySendError(e)).toBe('transient');
  });

  it('reads CMEE=2 texts back to their codes and classifies permanent and SIM errors', () => {
    const text = parseErrorLine('+CMS ERROR: SIM PIN required', 'AT+CMGS=20');
    expect(text?.code).toBe(311);
    expect(classifySendError(text as AtError)).toBe('modem');
    expect(classifySendError(parseErrorLine('+CMS ERROR: 1', 'x') as AtError)).toBe('permanent');
    expect(classifySendError(parseErrorLine('+CMS ERROR: 197', 'x') as AtError)).toBe('duplicate');
    expect(parseErrorLine('+CME ERROR: 10', 'AT+CPIN?')?.userMessage.zh).toContain('未插入 SIM 卡');
    expect(parseErrorLine('+CME ERROR: weird vendor text', 'x')?.userMessage.en).toContain('weird vendor text');
    expect(parseErrorLine('OK', 'x')).toBeNull();
  });

  it('sends ESC (not Ctrl-Z) when the prompt never comes, reports "not submitted", and drains before the next command', async () => {
    const { t, timers, engine } = setup();
    const p = engine.sendPdu(18, '00AA', { promptTimeoutMs: 1000 });
    const next = engine.send('AT');
    await flush();
    timers.advance(1000);
    const e = await rejection(p);
    expect([e.kind, e.submitted]).toEqual(['prompt-timeout', false]);
    expect(t.written).toEqual(['AT+CMGS=18\r', '\x1b']);
    t.push('\r\nOK\r\n'); // a late answer during the drain must not complete "AT"
    await flush();
    expect(t.written).toHaveLength(2);
    timers.advance(100);
    await flush();
    expect(t.written[2]).toBe('AT\r');
    t.push('\r\nOK\r\n');
    expect(await next).toEqual([]);
  });

  it('reports a timeout after Ctrl-Z as submitted (outcome unknown), restarting the timer on activity', async () => {
    const { t, timers, engine } = setup();
    const p = engine.sendPdu(18, '00AA', { timeoutMs: 120_000 });
    await flush();
    t.push('> ');
    await flush();
    timers.advance(119_000);
    t.push('\r\nRING\r\n'); // a URC is not the command's activity
    timers.advance(1_000);
    const e = await rejection(p);
    expect([e.kind, e.submitted]).toEqual(['timeout', true]);
    expect(engine.timeouts).toBe(1);
  });

  it('fails the command in flight (submitted) and everything queued when the port closes', async () => {
    const { t, engine } = setup();
    const p = engine.sendPdu(18, '00AA');
    const q = engine.send('AT+CSQ', { prefix: '+CSQ:' });
    await flush();
    t.push('> ');
    await flush();
    t.pull();
    const [e1, e2] = [await rejection(p), await rejection(q)];
    expect([e1.kind, e1.submitted, e2.kind, e2.submitted]).toEqual(['closed', true, 'closed', false]);
    expect((await rejection(engine.send('AT'))).kind).toBe('closed');
  });

  it('delivers two-line URCs (+CMT, +CDS) with their PDU and reads +CMGR with its PDU line', async () => {
    const { t, urcs, engine } = setup();
    t.push('\r\n+CDS: 25\r\n07912180958729F6060A0A81...\r\n');
    expect(urcs).toEqual([{ line: '+CDS: 25', pdu: '07912180958729F6060A0A81...' }]);
    const p = engine.send('AT+CMGR=3', { prefix: '+CMGR:', pduFollows: true });
    await flush();
    t.push('\r\n+CMGR: 0,,24\r\n0891683108200505F0\r\n\r\nOK\r\n');
    expect(await p).toEqual(['+CMGR: 0,,24', '0891683108200505F0']);
  });

  it('ends ATD with BUSY but treats BUSY as unsolicited for any other command', async () => {
    const { t, urcs, engine } = setup();
    const d = engine.send('ATD13812345678;', { dial: true });
    await flush();
    t.push('\r\nBUSY\r\n');
    const e = await rejection(d);
    expect([e.kind, e.userMessage.zh]).toEqual(['call-ended', '对方忙']);
    const c = engine.send('AT+CSQ', { prefix: '+CSQ:' });
    await flush();
    t.push('\r\nNO CARRIER\r\n+CSQ: 10,99\r\nOK\r\n');
    expect(await c).toEqual(['+CSQ: 10,99']);
    expect(urcs.map((u) => u.line)).toEqual(['NO CARRIER']);
  });

  it('gives the same results however the byte stream is cut into chunks', async () => {
    const stream = '\r\n+CMTI: "SM",1\r\n\r\n+CSQ: 18,99\r\nRING\r\n\r\nOK\r\n';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 8 }), async (cuts) => {
        const { t, urcs, engine } = setup();
        const p = engine.send('AT+CSQ', { prefix: '+CSQ:' });
        await flush();
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let at = 0;
        for (const c of [...points, stream.length]) {
          t.push(stream.slice(at, c));
          at = c;
        }
        expect(await p).toEqual(['+CSQ: 18,99']);
        expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",1', 'RING']);
      }),
      { numRuns: 100 },
    );
  });
});
