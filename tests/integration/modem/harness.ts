import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModem, type Modem, type ModemConfig } from '../../../main/modem';
import type { ModemEventName } from '../../../main/modem/api';
import { SimOnPort } from '../../../tools/modem-sim/serial';
import { ModemSim, type SimOptions } from '../../../tools/modem-sim/sim';
import { createTestDb, type TestDb } from '../../unit/modem/db';
import { until } from '../../unit/modem/sim-transport';
import { startSocat, type PtyPair } from './socat';

export const BRIDGE_CONFIG: Partial<ModemConfig> = {
  ratePerMinute: 10_000,
  quietHours: null,
  retryDelaysMs: [20, 50],
  maxAttempts: 4,
  promptTimeoutMs: 500,
  submitTimeoutMs: 1500,
  commandTimeoutMs: 1000,
  reconnectMinMs: 100,
  reconnectMaxMs: 400,
  healthIntervalMs: 60_000,
  pauseMs: 100,
};

export interface Rig {
  dir: string;
  t: TestDb;
  pair: PtyPair;
  sim: ModemSim;
  simPort: SimOnPort;
  modem: Modem | null;
  events: Array<{ name: ModemEventName; payload: unknown }>;
  startBridge(config?: Partial<ModemConfig>): Promise<Modem>;
  /** Pulls the cable (socat ends) and plugs it back after `downMs`. */
  unplug(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function createRig(simOptions: SimOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'modem-it-'));
  const t = await createTestDb();
  let pair = await startSocat(dir);
  const sim = new ModemSim({ delays: { commandMs: 2, submitMs: 15, reportMs: 25, ringMs: 100, dialMs: 50 }, ...simOptions });
  const simPort = new SimOnPort(sim, pair.simLink);
  simPort.start();
  await until(() => simPort.isOpen, 'simulator on its pty');
  const events: Rig['events'] = [];
  const rig: Rig = {
    dir,
    t,
    get pair() {
      return pair;
    },
    sim,
    simPort,
    modem: null,
    events,
    async startBridge(config = {}) {
      const modem = createModem({
        handle: t.handle,
        dealerId: t.dealerId,
        emit: (name, payload) => events.push({ name, payload }),
        config: { port: pair.appLink, ...BRIDGE_CONFIG, ...config, calls: { clipGraceMs: 300, ringGapMs: 1000, clccPollMs: 50 } },
      });
      rig.modem = modem;
      await modem.start();
      await until(async () => (await modem.status()).link === 'ready', 'bridge ready', 15_000);
      return modem;
    },
    async unplug(downMs) {
      await pair.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, downMs));
      pair = await startSocat(dir);
    },
    async close() {
      await rig.modem?.stop();
      sim.stop();
      await simPort.stop();
      await pair.kill();
      t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

export const msgState = async (t: TestDb, id: string) => (await t.handle.db.selectFrom('sms_message').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

export { accountParts } from '../../unit/modem/accounting';
