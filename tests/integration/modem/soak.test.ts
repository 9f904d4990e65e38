/**
 * Issue 4's loss/duplicate bar: 200 mixed Chinese/long SMS sent by a bridge in its own process while
 * the simulator injects +CMS errors, a stuck prompt, a reset and an unplug, and the bridge is killed
 * with SIGKILL midway and restarted. Everything the simulator received is counted against the outbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../../main/modem/store/outbox';
import { until } from '../../unit/modem/sim-transport';
import { accountParts, createRig, type Rig } from './harness';
import { hasSocat } from './socat';

let rig: Rig | null = null;
let child: ChildProcess | null = null;

async function killChild(): Promise<void> {
  const c = child;
  child = null;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

afterEach(async () => {
  await killChild();
  await rig?.close();
  rig = null;
});

function startRunner(r: Rig): Promise<void> {
  const c = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/modem/bridge-runner.ts', r.t.file, r.pair.appLink, r.t.dealerId], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MODEM_CONFIG: JSON.stringify({ submitTimeoutMs: 1500, promptTimeoutMs: 500, commandTimeoutMs: 1000, reconnectMaxMs: 400, pauseMs: 100, maxAttempts: 5 }) },
  });
  child = c;
  return new Promise((resolve, reject) => {
    c.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    c.once('exit', (code) => reject(new Error(`runner exited ${code}`)));
  });
}

describe.skipIf(!hasSocat)('modem soak over socat with a separate bridge process', () => {
  it('200 SMS through faults, reset, unplug and kill -9: zero lost, zero doubled', async () => {
    rig = await createRig({ delays: { commandMs: 2, submitMs: 10, reportMs: 15, ringMs: 100, dialMs: 50 } });
    const store = { handle: rig.t.handle, dealerId: rig.t.dealerId, now: Date.now };
    const policy = { perCustomerDailyCap: 10, utcOffsetMinutes: 480, statusReport: true, validityMinutes: 1440 };
    const N = 200;
    for (let i = 0; i < N; i++) {
      const body =
        i % 4 === 0
          ? `【广汽本田】尊敬的车主${i}：${'您的爱车已到保养周期，欢迎预约到店。'.repeat(5)}`
          : i % 4 === 1
            ? `Reminder ${i}: service due {km} ~ €0 [ok]`
            : i % 4 === 2
              ? `回访${i}：您对上次服务满意吗？😊`
              : `${i}号：${'长'.repeat(140)}`;
      await enqueue(store, policy, { customerId: null, recipient: `1580000${String(i).padStart(4, '0')}`, body, kind: 'service', origin: 'manual', staffId: null, clientRef: `soak-${i}` });
    }
    const totalParts = Number((rig.t.handle.sqlite.prepare('select count(*) as n from sms_part').get() as { n: number }).n);
    rig.sim.inject({ type: 'cms', code: 332, count: 2 });
    rig.sim.inject({ type: 'noPrompt' });
    rig.sim.inject({ type: 'cms', code: 500 });
    await startRunner(rig);
    const sim = rig.sim;
    await until(() => sim.sent.length >= totalParts / 5, 'first fifth', 60_000);
    sim.reset();
    await until(() => sim.sent.length >= (totalParts * 2) / 5, 'second fifth', 60_000);
    await rig.unplug(200);
    await until(() => sim.sent.length >= (totalParts * 3) / 5, 'third fifth', 60_000);
    await killChild();
    await startRunner(rig);
    const settled = () => {
      const row = rig!.t.handle.sqlite.prepare(`select count(*) as n from sms_message where state not in ('delivered', 'uncertain')`).get() as { n: number };
      return Number(row.n) === 0;
    };
    await until(settled, 'all messages delivered or uncertain', 90_000);

    const acc = accountParts(rig.t, sim.sent);
    expect({ doubled: acc.doubled, lost: acc.lost, unknownToOutbox: acc.unknownToOutbox }).toEqual({ doubled: 0, lost: [], unknownToOutbox: 0 });
    expect(acc.parts).toBe(totalParts);
    // UNCERTAIN is the exception (a fault between Ctrl-Z and the answer), not the rule.
    expect(acc.uncertain).toBeLessThanOrEqual(5);
  }, 300_000);
});
