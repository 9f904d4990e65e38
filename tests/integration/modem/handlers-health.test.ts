/**
 * createModemFeature on its own: the alarms modem hook hears the line go bad while the modem is enabled
 * on a port that is not there, nothing while it is disabled, and staff of another dealer are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { createModemFeature, type ModemFeature } from '../../../main/modem/handlers';
import type { CallContext } from '../../../main/rpc';
import { createTestDb, type TestDb } from '../../unit/modem/db';
import { until } from '../../unit/modem/sim-transport';

type Report = { check: 'line' | 'smsLink' | 'signal'; ok: boolean; detail: string | null };

function ctxFor(dealerId: string, role: 'agent' | 'admin'): CallContext {
  return { connectionId: 'c1', host: 'browser', staff: { staffId: newId(), dealerId, username: role, displayName: role, role, sessionToken: 't' } };
}

describe('modem feature health and scoping', () => {
  let t: TestDb | null = null;
  let feature: ModemFeature | null = null;

  afterEach(async () => {
    await feature?.stop();
    t?.cleanup();
  });

  it('reports the line down to the alarms hook only while the modem is enabled', async () => {
    t = await createTestDb();
    const reports: Report[] = [];
    const hook = (check: Report['check']) => (ok: boolean, detail: string | null) => reports.push({ check, ok, detail });
    feature = await createModemFeature({
      handle: t.handle,
      emit: () => undefined,
      dataDir: t.dir,
      overrides: { reconnectMinMs: 50, reconnectMaxMs: 100 },
      health: { line: hook('line'), smsLink: hook('smsLink'), signal: hook('signal') },
    });
    await feature.start();
    expect(reports).toEqual([]);

    const admin = ctxFor(t.dealerId, 'admin');
    const configure = feature.handlers['modem.configure'];
    if (!configure) throw new Error('modem.configure is not handled');
    await configure({ enabled: true, port: `${t.dir}/no-such-tty`, baudRate: 115200, maxSmsPerMinute: 8, quietHours: null, perCustomerDailyCap: 5 }, admin);
    await until(() => reports.some((r) => r.check === 'line' && !r.ok), 'line reported down', 10_000);
    const down = reports.find((r) => r.check === 'line' && !r.ok);
    expect(down?.detail).toContain('no-such-tty');
    expect(reports.some((r) => r.check === 'smsLink' && !r.ok)).toBe(true);
  });

  it('refuses staff of another dealer', async () => {
    t = await createTestDb();
    feature = await createModemFeature({ handle: t.handle, emit: () => undefined, dataDir: t.dir });
    const threads = feature.handlers['sms.threads'];
    if (!threads) throw new Error('sms.threads is not handled');
    await expect(threads({ limit: 10 }, ctxFor(newId(), 'agent'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(threads({ limit: 10 }, ctxFor(t.dealerId, 'agent'))).resolves.toMatchObject({ items: [], unreadTotal: 0 });
  });
});
