/**
 * 信函打印 through the real composition root: supervisors only; today's letters with the skipped reasons
 * (kept after a refresh); one PDF for the chosen letters made by the real Chromium (page count and merged
 * names checked with pdfinfo / pdftotext); mixed paper sizes refused; a print in progress cancelled from
 * the page (the browser set in the seat file through config.save); "printed" records the touch and the
 * letters leave the list.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasTools = existsSync(CHROMIUM) && existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');

let services: Services;
let store: TestStore;
let dir: string;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let admin: CallContext;
const today = dealerToday();


/** A car whose 定保 falls due in 20 days: its letter step (−30) is due today, the SMS (−7) not yet. */
function letterCar(name: string, gender: 'M' | 'F', address: string | null) {
  const c = addCustomer(services.handle, store.dealerId, { name, gender, address });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, 20), -6), category: 'maintenance' });
  return { c, v };
}

beforeAll(async () => {
  const tmp = tempDir('letters-channels-');
  dir = tmp.dir;
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  admin = await signIn(services, store.staff.admin);
  letterCar('王芳', 'F', '广州市天河路 1 号');
  letterCar('李建国', 'M', '广州市越秀区中山路 8 号');
  letterCar('陈晓梅', 'F', '广州市海珠区江南大道 3 号');
  letterCar('赵无址', 'M', null);
  // Birthday in three days: the card step (−5, card.birthday on A6) is due today.
  let birthday = addDays(today, 3).slice(5);
  if (birthday === '02-29') birthday = addDays(today, 4).slice(5);
  addCustomer(services.handle, store.dealerId, { name: '周寿星', gender: 'M', address: '广州市白云区机场路 9 号', birthday: `1980-${birthday}` });
  // Templates first (the batch writes the starting ones), so the campaigns' default steps link them.
  ok(await call(services, supervisor, 'letters.batch', {}));
  ok(await call(services, supervisor, 'campaigns.generate', {}));
});
afterAll(async () => {
  await services.close();
  cleanup();
});

async function batch(campaignId: string | null = null) {
  return ok(await call(services, supervisor, 'letters.batch', { campaignId }));
}

describe('letters channels', () => {
  it('are for supervisors and admins only', async () => {
    for (const [name, input] of [
      ['letters.batch', {}],
      ['letters.print', { taskIds: [], jobId: 'job-agent-1' }],
      ['letters.cancelPrint', { jobId: 'job-agent-1' }],
      ['letters.markPrinted', { taskIds: [] }],
    ] as const) {
      const r = await call(services, agent, name, input);
      expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    }
    expect((await call(services, admin, 'letters.batch', {})).ok).toBe(true);
  });

  it("lists today's letters with campaign and template, and counts the skipped ones by reason even after a refresh", async () => {
    const first = await batch();
    expect(first.today).toBe(today);
    const maintenance = first.items.filter((i) => i.campaignKind === 'maintenance');
    expect(maintenance.map((i) => i.customerName).sort()).toEqual(['李建国', '王芳', '陈晓梅'].sort());
    expect(maintenance.every((i) => i.page === 'A4' && i.templateName === '招揽信件 (A4)' && i.campaignNameZh === '定期保养招揽')).toBe(true);
    const card = first.items.find((i) => i.campaignKind === 'birthday');
    expect(card).toMatchObject({ customerName: '周寿星', page: 'A6' });
    expect(first.skipped).toEqual({ no_address: 1 });
    expect(first.campaigns.map((c) => c.kind)).toEqual(expect.arrayContaining(['maintenance', 'birthday', 'first_service']));
    expect(first.campaigns.map((c) => c.kind)).not.toContain('after_sales_followup');

    const campaignId = maintenance[0]?.campaignId ?? '';
    const filtered = await batch(campaignId);
    expect(filtered.items.map((i) => i.taskId).sort()).toEqual(maintenance.map((i) => i.taskId).sort());
    expect(filtered.skipped).toEqual({ no_address: 1 });
    const birthdays = await batch(card?.campaignId ?? null);
    expect(birthdays.skipped).toEqual({});
  });

  it('refuses an empty selection and letters of different paper sizes, with field messages', async () => {
    const empty = await call(services, supervisor, 'letters.print', { taskIds: [], jobId: 'job-empty-1' });
    expect(empty.ok ? null : empty.error.issues?.[0]).toMatchObject({ path: 'taskIds', message: { zh: '请至少勾选一封信件' } });
    const all = await batch();
    const mixed = await call(services, supervisor, 'letters.print', { taskIds: all.items.map((i) => i.taskId), jobId: 'job-mixed-1' });
    expect(mixed.ok ? null : mixed.error.code).toBe('VALIDATION');
    expect(mixed.ok ? null : mixed.error.issues?.[0]?.message.zh).toContain('不同的模板');
  });

  it.skipIf(!hasTools)('prints the chosen letters to one PDF: a page per letter with its merged salutation and plate', async () => {
    const letters = (await batch()).items.filter((i) => i.campaignKind === 'maintenance');
    const r = ok(await call(services, supervisor, 'letters.print', { taskIds: letters.map((i) => i.taskId), jobId: 'job-print-1' }));
    if (r.status !== 'done') throw new Error('expected a PDF');
    expect(r.pages).toBe(3);
    expect(r.fileName).toBe(`信函_${today}_3封.pdf`);
    const file = path.join(dir, 'letters.pdf');
    writeFileSync(file, Buffer.from(r.base64, 'base64'));
    expect(r.bytes).toBe(Buffer.from(r.base64, 'base64').length);
    expect(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]).toBe('3');
    const salutation: Record<string, string> = { 王芳: '王女士', 李建国: '李先生', 陈晓梅: '陈女士' };
    letters.forEach((letter, i) => {
      const text = execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' });
      expect(text).toContain(`尊敬的${salutation[letter.customerName] ?? '?'}`);
      expect(text).toContain(letter.plate ?? '?');
      expect(text).toContain('测试本田 4S 店');
    });
  });

  it('cancels a print in progress from the page that started it (the seat file names the browser)', async () => {
    const script = path.join(dir, 'hanging-browser.sh');
    writeFileSync(script, `#!/bin/sh\necho $$ > "${dir}/browser.pid"\nexec sleep 300\n`);
    chmodSync(script, 0o755);
    const view = ok(await call(services, admin, 'config.get', {}));
    ok(await call(services, admin, 'config.save', { config: { ...view.config, print: { ...view.config.print, browserPath: script } } }));
    expect(ok(await call(services, admin, 'config.get', {})).config.print.browserPath).toBe(script);
    try {
      const letters = (await batch()).items.filter((i) => i.campaignKind === 'maintenance');
      const printing = call(services, supervisor, 'letters.print', { taskIds: letters.map((i) => i.taskId), jobId: 'job-cancel-1' });
      await expect.poll(() => existsSync(path.join(dir, 'browser.pid'))).toBe(true);
      expect(ok(await call(services, admin, 'letters.cancelPrint', { jobId: 'job-cancel-1' }))).toEqual({ cancelled: false });
      expect(ok(await call(services, supervisor, 'letters.cancelPrint', { jobId: 'job-cancel-1' }))).toEqual({ cancelled: true });
      expect(ok(await printing)).toEqual({ status: 'cancelled' });
      expect(ok(await call(services, supervisor, 'letters.cancelPrint', { jobId: 'job-cancel-1' }))).toEqual({ cancelled: false });
    } finally {
      ok(await call(services, admin, 'config.save', { config: { ...view.config, print: { ...view.config.print, browserPath: null } } }));
    }
  });

  it('marks letters printed: the touch and a timeline event are recorded and they leave the list', async () => {
    const letters = (await batch()).items.filter((i) => i.campaignKind === 'maintenance');
    const first = letters[0];
    if (!first) throw new Error('no letter');
    expect(ok(await call(services, supervisor, 'letters.markPrinted', { taskIds: letters.map((i) => i.taskId) }))).toEqual({ marked: 3 });
    const after = await batch();
    expect(after.items.filter((i) => i.campaignKind === 'maintenance')).toEqual([]);
    expect(after.items.map((i) => i.customerName)).toEqual(['周寿星']);
    const task = services.handle.sqlite.prepare('select step_channel, last_touch_channel, last_touch_staff_id from campaign_task where id = ?').get(first.taskId);
    expect(task).toEqual({ step_channel: 'sms', last_touch_channel: 'letter', last_touch_staff_id: store.staff.supervisor.id });
    const events = services.handle.sqlite.prepare("select count(*) from contact_event where kind = 'letter' and summary like '%信件已寄出'").pluck().get();
    expect(events).toBe(3);
    // Printing them again is refused: they are no longer waiting.
    const again = await call(services, supervisor, 'letters.print', { taskIds: [first.taskId], jobId: 'job-again-1' });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
    expect(ok(await call(services, supervisor, 'letters.markPrinted', { taskIds: [first.taskId] }))).toEqual({ marked: 0 });
  });
});
