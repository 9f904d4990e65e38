/**
 * The bridge against the simulator over a REAL serial line: a socat PTY pair, the real serialport
 * bindings on both ends. Skipped only where socat is not installed.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../../main/modem/store/outbox';
import { sentMessages } from '../../../tools/modem-sim/sim';
import { addCustomer } from '../../unit/modem/db';
import { until } from '../../unit/modem/sim-transport';
import { accountParts, createRig, msgState, type Rig } from './harness';
import { hasSocat } from './socat';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const LONG_ZH = '【东风本田】尊敬的李女士：您预约的CR-V（粤B88888）首保已确认，时间为5月3日上午9:30，请携带保养手册到店。如需改期请致电0755-88886666，回复TD退订。'.repeat(2);

describe.skipIf(!hasSocat)('modem over a socat PTY pair', () => {
  it('initialises, sends a 3-part Chinese SMS and gets every delivery report', async () => {
    rig = await createRig();
    const modem = await rig.startBridge();
    const customerId = await addCustomer(rig.t, '李女士', '13800138000');
    const r = await modem.sendSms({ customerId, recipient: null, body: LONG_ZH, kind: 'service', origin: 'manual', staffId: rig.t.staffId, clientRef: null });
    expect(r.parts).toBe(3);
    await until(async () => (await msgState(rig!.t, r.id)) === 'delivered', 'delivered', 15_000);
    expect(rig.sim.sent).toHaveLength(3);
    expect(rig.sim.sent.map((s) => s.text).join('')).toBe(LONG_ZH);
    expect(rig.sim.commands.slice(0, 12)).toEqual(expect.arrayContaining(['ATE0', 'AT+CMGF=0', 'AT+CNMI=2,1,0,2,1', 'AT+CLIP=1']));
  });

  it('receives a multipart SMS, pops an incoming call, dials and hangs up, and maps +CMS errors', async () => {
    rig = await createRig();
    const modem = await rig.startBridge();
    const customerId = await addCustomer(rig.t, '黄先生', '13911112222');
    const text = '你好，我的车仪表盘亮了一个黄色的灯，像个发动机的形状，需要马上进店吗？😟 明天上午有空。'.repeat(2);
    rig.sim.injectSms('+8613911112222', text);
    await until(() => rig!.events.some((e) => e.name === 'sms.received'), 'sms received', 10_000);
    expect(rig.events.find((e) => e.name === 'sms.received')?.payload).toMatchObject({ customerId, body: text });

    rig.sim.injectCall('13911112222');
    await until(() => rig!.events.some((e) => e.name === 'call.incoming'), 'screen pop', 10_000);
    expect(rig.events.find((e) => e.name === 'call.incoming')?.payload).toMatchObject({ customerId, customerName: '黄先生' });
    await modem.answer(rig.t.staffId);
    await modem.hangup();

    await modem.dial('13911112222', rig.t.staffId, customerId);
    await until(() => rig!.events.some((e) => e.name === 'call.state' && (e.payload as { direction: string; phase: string }).direction === 'out' && (e.payload as { phase: string }).phase === 'active'), 'answered', 10_000);
    await modem.hangup();
    const calls = await rig.t.handle.db.selectFrom('call_log').select(['direction', 'end_reason', 'missed']).orderBy('started_at').execute();
    expect(calls).toEqual([
      { direction: 'in', end_reason: 'local_hangup', missed: 0 },
      { direction: 'out', end_reason: 'local_hangup', missed: 0 },
    ]);

    rig.sim.inject({ type: 'cms', code: 8 });
    const bad = await modem.sendSms({ customerId: null, recipient: '13000000000', body: 'barred', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(rig!.t, bad.id)) === 'failed', 'failed', 10_000);
    const row = await rig.t.handle.db.selectFrom('sms_message').select(['error_code', 'error_text']).where('id', '=', bad.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ error_code: 8, error_text: '短信错误 8：运营商禁止 / SMS error 8: operator determined barring' });
  });

  it('a cable pull mid-queue: reconnects with backoff and resumes, nothing lost or doubled', async () => {
    rig = await createRig({ delays: { commandMs: 2, submitMs: 60, reportMs: 20, ringMs: 100, dialMs: 50 } });
    const modem = await rig.startBridge();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await modem.sendSms({ customerId: null, recipient: `1380000000${i}`, body: `通知${i}：${'您'.repeat(60 + i * 10)}`, kind: 'service', origin: 'manual', staffId: null, clientRef: null })).id);
    await until(() => rig!.sim.sent.length >= 3, 'some sent', 10_000);
    await rig.unplug(300);
    await until(async () => (await Promise.all(ids.map((id) => msgState(rig!.t, id)))).every((s) => s === 'delivered' || s === 'uncertain'), 'settled', 30_000);
    const status = await modem.status();
    expect(status.reconnects).toBeGreaterThanOrEqual(1);
    const acc = accountParts(rig.t, rig.sim.sent);
    expect({ doubled: acc.doubled, lost: acc.lost, unknownToOutbox: acc.unknownToOutbox }).toEqual({ doubled: 0, lost: [], unknownToOutbox: 0 });
  });

  it('kill -9 of the bridge between "sending" and the answer: the restart marks the part UNCERTAIN and sends nothing twice', async () => {
    rig = await createRig();
    const store = { handle: rig.t.handle, dealerId: rig.t.dealerId, now: Date.now };
    const policy = { perCustomerDailyCap: 10, utcOffsetMinutes: 480, statusReport: true, validityMinutes: 1440 };
    // The network takes the first part but its "+CMGS" answer is held: the crash lands in that window.
    rig.sim.inject({ type: 'holdResult', ms: 600_000 });
    const a = await enqueue(store, policy, { customerId: null, recipient: '13700000001', body: LONG_ZH, kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/modem/bridge-runner.ts', rig.t.file, rig.pair.appLink, rig.t.dealerId], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await until(async () => {
        const p = await rig!.t.handle.db.selectFrom('sms_part').select('state').where('message_id', '=', a.id).where('seq', '=', 1).executeTakeFirstOrThrow();
        return p.state === 'sending' && rig!.sim.sent.length === 1;
      }, 'part 1 in flight', 20_000);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    }
    const b = await enqueue(store, policy, { customerId: null, recipient: '13700000002', body: 'after the crash', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await rig.startBridge();
    await until(async () => (await msgState(rig!.t, b.id)) === 'delivered', 'B delivered after restart', 15_000);
    expect(await msgState(rig.t, a.id)).toBe('uncertain');
    const aParts = await rig.t.handle.db.selectFrom('sms_part').select(['seq', 'state']).where('message_id', '=', a.id).orderBy('seq').execute();
    expect(aParts).toEqual([
      { seq: 1, state: 'uncertain' },
      { seq: 2, state: 'queued' },
      { seq: 3, state: 'queued' },
    ]);
    expect(rig.sim.sent.map((s) => [s.recipient, s.concat?.seq ?? 1])).toEqual([
      ['13700000001', 1],
      ['13700000002', 1],
    ]);
    // A supervisor accepts part 1 as sent: only parts 2 and 3 go out, once each.
    await rig.modem?.call('sms.resolveUncertain', { messageId: a.id, action: 'mark_sent' }, { connectionId: 'c', host: 'browser', staff: null });
    await until(() => rig!.sim.sent.length === 4, 'parts 2 and 3 sent', 15_000);
    expect([...sentMessages(rig.sim.sent).values()].every((g) => g.length === 1)).toBe(true);
  }, 60_000);

  it('soak: mixed Chinese/long SMS through transient errors, a stuck prompt, a modem reset and an unplug — zero lost, zero doubled', async () => {
    rig = await createRig({ delays: { commandMs: 2, submitMs: 8, reportMs: 15, ringMs: 100, dialMs: 50 } });
    const modem = await rig.startBridge();
    const N = 40;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const body = i % 3 === 0 ? `尊敬的客户${i}：${'您的爱车保养提醒，'.repeat(12)}` : i % 3 === 1 ? `Service reminder #${i} {ok} €5` : `第${i}号：到店礼`;
      ids.push((await modem.sendSms({ customerId: null, recipient: `1360000${String(i).padStart(4, '0')}`, body, kind: 'service', origin: 'manual', staffId: null, clientRef: `soak-${i}` })).id);
    }
    rig.sim.inject({ type: 'cms', code: 332, count: 2 });
    rig.sim.inject({ type: 'noPrompt' });
    rig.sim.inject({ type: 'cms', code: 42 });
    await until(() => rig!.sim.sent.length >= 15, 'first third', 20_000);
    rig.sim.reset();
    await until(() => rig!.sim.sent.length >= 30, 'second third', 20_000);
    await rig.unplug(200);
    await until(async () => (await Promise.all(ids.map((id) => msgState(rig!.t, id)))).every((s) => s === 'delivered' || s === 'uncertain'), 'all settled', 60_000);

    const acc = accountParts(rig.t, rig.sim.sent);
    expect({ doubled: acc.doubled, lost: acc.lost, unknownToOutbox: acc.unknownToOutbox }).toEqual({ doubled: 0, lost: [], unknownToOutbox: 0 });
  }, 120_000);

  it('the CLI simulator runs on a PTY and is driven through its HTTP control API', async () => {
    rig = await createRig();
    // Free the simulator's end for the CLI process.
    await rig.simPort.stop();
    const cli = spawn(process.execPath, ['--import', 'tsx', 'tools/modem-sim/cli.ts', '--port', rig.pair.simLink, '--control', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const control = await new Promise<number>((resolve, reject) => {
        let out = '';
        cli.stdout?.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /"control":(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        cli.once('exit', (code) => reject(new Error(`cli exited ${code}`)));
      });
      const modem = await rig.startBridge();
      const base = `http://127.0.0.1:${control}`;
      const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/sms', { from: '+8613500001111', text: '收到，谢谢！' })).status).toBe(200);
      await until(() => rig!.events.some((e) => e.name === 'sms.received'), 'sms from CLI sim', 10_000);
      const r = await modem.sendSms({ customerId: null, recipient: '13500001111', body: '不客气', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
      await until(async () => (await msgState(rig!.t, r.id)) === 'delivered', 'delivered via CLI sim', 10_000);
      const sent = (await (await fetch(`${base}/sent`)).json()) as Array<{ text: string; recipient: string }>;
      expect(sent.map((s) => [s.recipient, s.text])).toEqual([['13500001111', '不客气']]);
      expect((await post('/fault', { type: 'nonsense' })).status).toBe(400);
    } finally {
      cli.kill('SIGTERM');
      await new Promise((r) => (cli.exitCode !== null || cli.signalCode !== null ? r(null) : cli.once('exit', r)));
    }
  }, 60_000);
});
