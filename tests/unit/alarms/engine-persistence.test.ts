import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, fails, feed, oks, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('restart persistence', () => {
  it('keeps detection counters, open alarms, acks, silences and unsent notices across a close and reopen', async () => {
    feed(h, 'srv/svc:a', fails(2));
    feed(h, 'srv/svc:b', fails(3));
    const b = h.engine.openAlarms().find((a) => a.fingerprint === 'srv/svc:b')!;
    h.engine.acknowledge(b.id, { id: 's1', name: '王主管' }, '已知问题');
    feed(h, 'srv/svc:c', fails(3)); // notice queued, not yet sent
    const silence = h.engine.silences.create(
      { kind: 'silence', pattern: 'other/*', reason: '迁移', endsAt: new Date(h.clock.now() + 3_600_000).toISOString() },
      { id: 's1', name: '王主管' },
    );
    h.engine.registerSource('agent:srv', 10_000);

    h.restart();

    feed(h, 'srv/svc:a', fails(1)); // third failure in a row, two of them before the restart
    expect(h.engine.openAlarms().find((a) => a.fingerprint === 'srv/svc:a')?.state).toBe('firing');
    expect(h.engine.get(b.id)).toMatchObject({ state: 'acknowledged', ack: expect.objectContaining({ comment: '已知问题' }) });
    expect(h.engine.silences.list().map((s) => s.id)).toEqual([silence.id]);
    h.clock.advance(5_000);
    await h.engine.tick();
    expect(h.notifier.items().map((i) => i.fingerprint).sort()).toEqual(['srv/svc:a', 'srv/svc:c']);

    // Recovery hysteresis counts across a restart too.
    feed(h, 'srv/svc:c', oks(1));
    h.restart();
    feed(h, 'srv/svc:c', oks(1));
    expect(h.engine.openAlarms().some((a) => a.fingerprint === 'srv/svc:c')).toBe(false);
  });

  it('gives monitors a fresh grace period after the workstation was off', async () => {
    h.engine.registerSource('agent:srv', 10_000);
    h.restart();
    h.clock.advance(3_600_000);
    h.engine.registerSource('agent:srv', 10_000);
    await h.engine.tick();
    expect(h.engine.openAlarms()).toHaveLength(0);
  });
});

describe('history', () => {
  it('filters by server, text, state and pages with a cursor', () => {
    for (let i = 0; i < 5; i++) feed(h, `import/svc:${i}`, fails(3), 1_000, { server: 'import', name: `导入服务${i}` });
    feed(h, 'backup/folder:nightly', fails(3), 1_000, { server: 'backup', name: '夜间备份' });
    feed(h, 'backup/folder:nightly', oks(2), 1_000);
    expect(h.engine.history.list({ server: 'backup' }).items.map((a) => a.state)).toEqual(['resolved']);
    expect(h.engine.history.list({ text: '导入服务3' }).items).toHaveLength(1);
    expect(h.engine.history.list({ text: '%' }).items).toHaveLength(0);
    expect(h.engine.history.list({ state: 'firing' }).items).toHaveLength(5);
    const first = h.engine.history.list({ limit: 4 });
    expect(first.items).toHaveLength(4);
    const second = h.engine.history.list({ limit: 4, cursor: first.nextCursor });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = new Set([...first.items, ...second.items].map((a) => a.id));
    expect(ids.size).toBe(6);
  });

  it('exports alarms and their events to Excel', async () => {
    feed(h, 'backup/folder:nightly', fails(3), 1_000, { server: 'backup', name: '夜间备份' });
    const alarm = h.engine.openAlarms()[0]!;
    h.engine.acknowledge(alarm.id, { id: 's1', name: '王主管' }, '手动补备份');
    const { buffer, rows, fileName } = await h.engine.history.exportXlsx({ server: 'backup' });
    expect(rows).toBe(1);
    expect(fileName).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Uint8Array.from(buffer).buffer);
    const alarms = wb.getWorksheet('告警历史 Alarms')!;
    expect(alarms.rowCount).toBe(2);
    const values = alarms.getRow(2).values as unknown[];
    expect(values).toEqual(expect.arrayContaining(['backup', '夜间备份', '王主管', '手动补备份']));
    const events = wb.getWorksheet('事件 Events')!;
    const types = [];
    for (let r = 2; r <= events.rowCount; r++) types.push(events.getRow(r).getCell(2).value);
    expect(types).toEqual(['pending', 'firing', 'acknowledged']);
  });
});
