/**
 * The dealer's own profile (经销店信息): migration 0015 on a store left at 0014 keeps the dealer's row;
 * dealer.get for every seat, dealer.save for administrators only, with each bad field named in both
 * languages and hotlines stored as customers will read them; and what an administrator saves is what a
 * printed letter, a campaign SMS, an SMS filled from a template and the editor's preview say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { migrateToLatest, MIGRATION_NAMES } from '../../../db/migrate';
import type { PageSize } from '../../../db/tables/campaigns';
import { addDays, addMonths, createCampaigns } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import { createServices, type Services } from '../../../main/services';
import type { Result } from '../../../preload/contract';
import { normalizeHotline } from '../../../preload/channels/dealer';
import { addCustomer, addRepairOrder, addVehicle } from '../campaigns/fixture';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, newContext, ok, signIn } from '../../support/services';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let admin: CallContext;
/** What the print service was asked to print: the letters' HTML as the host rendered it. */
const printed: Array<{ html: string; page: PageSize }> = [];
const today = dealerToday();

function refused(r: Result<unknown>): { code: string; issues: Array<{ path: string; zh: string; en: string }> } {
  if (r.ok) throw new Error('expected a refusal');
  return { code: r.error.code, issues: (r.error.issues ?? []).map((i) => ({ path: i.path, zh: i.message.zh, en: i.message.en })) };
}

beforeAll(async () => {
  const tmp = tempDir('dealer-profile-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await createServices({
    dbFile: store.file,
    host: 'browser',
    version: '0.0.0-test',
    validateOutput: true,
    // Stands in for Chromium: the assertion is on the letter HTML the host hands to the printer.
    print: {
      engine: 'chromium',
      toPdf: (html, page) => {
        printed.push({ html, page });
        return Promise.resolve(Buffer.from('%PDF-1.4\n%%EOF\n'));
      },
    },
  });
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  admin = await signIn(services, store.staff.admin);
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('migration 0015', () => {
  it('adds the short name to a store left at 0014 and keeps the dealer, its hotline and address', async () => {
    const { dir, cleanup: done } = tempDir('dealer-migrate-');
    try {
      const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0015-dealer-short-name') - 1];
      expect(before).toBe('0014-repair-order-covering');
      const old = openDatabase(`${dir}/old.sqlite`);
      await migrateToLatest(old.db, before);
      old.sqlite.exec(`insert into dealer (id, code, name, brand, city, phone, address, created_at, updated_at)
        values ('01J00000000000000000000000', 'OLD', '鹏城本田汽车销售服务店', 'Honda', '深圳', '0755-83451234', '深圳市福田区深南大道 6008 号', 't', 't')`);
      old.close();

      const upgraded = openDatabase(`${dir}/old.sqlite`);
      const applied = await migrateToLatest(upgraded.db);
      expect(applied[0]).toBe('0015-dealer-short-name');
      expect(upgraded.sqlite.prepare('select code, name, city, phone, address, short_name from dealer').get()).toEqual({
        code: 'OLD',
        name: '鹏城本田汽车销售服务店',
        city: '深圳',
        phone: '0755-83451234',
        address: '深圳市福田区深南大道 6008 号',
        short_name: null,
      });
      upgraded.close();
    } finally {
      done();
    }
  });
});

describe('hotline format', () => {
  it('accepts landlines with their area code, 400/800 numbers and mobiles, written as customers read them', () => {
    expect(normalizeHotline('0755 8345 1234')).toBe('0755-83451234');
    expect(normalizeHotline('075583451234')).toBe('0755-83451234');
    expect(normalizeHotline('020-38886666')).toBe('020-38886666');
    expect(normalizeHotline('(010) 62345678')).toBe('010-62345678');
    expect(normalizeHotline('0898-6543210')).toBe('0898-6543210');
    expect(normalizeHotline('4008886666')).toBe('400-888-6666');
    expect(normalizeHotline('800 820 8820')).toBe('800-820-8820');
    expect(normalizeHotline('+86 138 1234 5678')).toBe('13812345678');
    // Full-width brackets from a Chinese IME, also around a mobile's +86.
    expect(normalizeHotline('（020）3888 6666')).toBe('020-38886666');
    expect(normalizeHotline('（+86）138-1234-5678')).toBe('13812345678');
  });

  it('refuses numbers without an area code, short or long ones and other text', () => {
    for (const bad of ['83451234', '0755-1234', '0755-012345678', '020-1234567', '12345678901', '400-888-666', '0755-8345123x', '客服热线', '']) {
      expect(normalizeHotline(bad), bad).toBeNull();
    }
  });
});

describe('dealer channels', () => {
  it('every seat reads the profile; only administrators save it; nobody signed out does either', async () => {
    for (const who of [agent, supervisor, admin]) {
      expect(ok(await call(services, who, 'dealer.get', {}))).toMatchObject({
        id: store.dealerId,
        code: 'T001',
        name: '测试本田 4S 店',
        servicePhone: null,
        address: null,
        shortName: null,
      });
    }
    const input = { servicePhone: '020-38886666', address: '广州市天河区体育西路 1 号', shortName: '测试本田' };
    expect(refused(await call(services, agent, 'dealer.save', input)).code).toBe('FORBIDDEN');
    expect(refused(await call(services, supervisor, 'dealer.save', input)).code).toBe('FORBIDDEN');
    expect(refused(await call(services, newContext(), 'dealer.get', {})).code).toBe('UNAUTHENTICATED');
    expect(ok(await call(services, agent, 'dealer.get', {})).servicePhone).toBeNull();
  });

  it('names each bad field in Chinese and English and stores nothing', async () => {
    const bad = refused(
      await call(services, admin, 'dealer.save', { servicePhone: '8345 1234', address: '广州', shortName: '【测试本田】' }),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['address', 'servicePhone', 'shortName']);
    const phone = bad.issues.find((i) => i.path === 'servicePhone');
    expect(phone?.zh).toContain('区号-号码');
    expect(phone?.en).toContain('area code');
    expect(bad.issues.find((i) => i.path === 'address')?.zh).toBe('地址为 4–100 个字符');
    expect(bad.issues.find((i) => i.path === 'shortName')?.en).toContain('2–12 characters');

    const long = refused(await call(services, admin, 'dealer.save', { servicePhone: null, address: '广'.repeat(101), shortName: '测试本田汽车销售服务有限公司' }));
    expect(long.issues.map((i) => i.path).sort()).toEqual(['address', 'shortName']);
    expect(refused(await call(services, admin, 'dealer.save', { servicePhone: null, address: null })).issues.map((i) => i.path)).toEqual(['shortName']);
    expect(refused(await call(services, admin, 'dealer.save', { servicePhone: null, address: null, shortName: null, name: 'x' })).code).toBe('VALIDATION');

    expect(ok(await call(services, admin, 'dealer.get', {}))).toMatchObject({ servicePhone: null, address: null, shortName: null });
  });

  it('saves the hotline in the form customers read, and empty fields clear', async () => {
    const saved = ok(await call(services, admin, 'dealer.save', { servicePhone: ' 0755 8345 1234 ', address: ' 深圳市福田区深南大道 6008 号 ', shortName: '鹏城本田' }));
    expect(saved).toMatchObject({ servicePhone: '0755-83451234', address: '深圳市福田区深南大道 6008 号', shortName: '鹏城本田', name: '测试本田 4S 店' });
    expect(ok(await call(services, agent, 'dealer.get', {}))).toEqual(saved);

    const cleared = ok(await call(services, admin, 'dealer.save', { servicePhone: '', address: '  ', shortName: '' }));
    expect(cleared).toMatchObject({ servicePhone: null, address: null, shortName: null });
    expect(services.handle.sqlite.prepare('select phone, address, short_name from dealer where id = ?').get(store.dealerId)).toEqual({
      phone: null,
      address: null,
      short_name: null,
    });
  });
});

describe('what customers receive', () => {
  it('a printed letter, a campaign SMS, an SMS from a template and the preview carry the saved hotline, address and signature', async () => {
    ok(await call(services, admin, 'dealer.save', { servicePhone: '0755-83451234', address: '深圳市福田区深南大道 6008 号', shortName: '鹏城本田' }));

    // 定保 due in 20 days: the letter step (−30) is due today. Another car's is due in 5 days: its SMS (−7) is.
    const letterCustomer = addCustomer(services.handle, store.dealerId, { name: '王芳', gender: 'F', address: '深圳市南山区科技园 1 号' });
    const letterCar = addVehicle(services.handle, store.dealerId, letterCustomer, { purchaseDate: null, purchasedHere: false });
    addRepairOrder(services.handle, store.dealerId, letterCar, { openedOn: addMonths(addDays(today, 20), -6), category: 'maintenance' });
    const smsCustomer = addCustomer(services.handle, store.dealerId, { name: '李建国', gender: 'M', mobile: '13912340001' });
    const smsCar = addVehicle(services.handle, store.dealerId, smsCustomer, { purchaseDate: null, purchasedHere: false });
    addRepairOrder(services.handle, store.dealerId, smsCar, { openedOn: addMonths(addDays(today, 5), -6), category: 'maintenance' });

    // The batch writes the starting templates, so the campaigns' default steps link them.
    ok(await call(services, supervisor, 'letters.batch', {}));
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    const letters = ok(await call(services, supervisor, 'letters.batch', {}));
    const taskIds = letters.items.filter((l) => l.customerName === '王芳').map((l) => l.taskId);
    expect(taskIds).toHaveLength(1);
    const pdf = ok(await call(services, supervisor, 'letters.print', { taskIds, jobId: 'dealer-profile-letter' }));
    expect(pdf.status).toBe('done');
    const letter = printed.at(-1)?.html ?? '';
    expect(letter).toContain('王女士');
    expect(letter).toContain('请您拨打 0755-83451234 预约回店');

    // The day's run queues the SMS step, merged from the store as it is now.
    await createCampaigns({ handle: services.handle }).runDaily(store.dealerId, today);
    const sms = services.handle.sqlite
      .prepare(`select text from campaign_sms where customer_id = ? and dedupe_key like 'campaign:%'`)
      .pluck()
      .all(smsCustomer) as string[];
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatch(/^【鹏城本田】尊敬的李先生/);
    expect(sms[0]).toContain('欢迎致电0755-83451234预约');

    const templates = ok(await call(services, agent, 'templates.list', { kind: 'sms' }));
    const maintenance = templates.find((t) => t.code === 'sms.maintenance');
    if (!maintenance) throw new Error('no sms.maintenance template');
    const filled = ok(await call(services, agent, 'templates.renderFor', { templateId: maintenance.id, customerId: smsCustomer, vehicleId: smsCar }));
    expect(filled.text).toMatch(/^【鹏城本田】尊敬的李先生/);
    expect(filled.text).toContain('0755-83451234');
    expect(filled.missing).not.toContain('dealerPhone');

    const preview = ok(await call(services, supervisor, 'templates.preview', { kind: 'envelope', body: '<p>{{经销商}} {{经销商地址}} {{经销商电话}}</p>', page: 'DL' }));
    if (preview.kind !== 'document') throw new Error('expected a document preview');
    expect(preview.html).toContain('测试本田 4S 店 深圳市福田区深南大道 6008 号 0755-83451234');
    const smsPreview = ok(await call(services, supervisor, 'templates.preview', { kind: 'sms', body: '【{{经销商简称}}】{{称呼}}，请致电{{经销商电话}}' }));
    if (smsPreview.kind !== 'sms') throw new Error('expected an SMS preview');
    expect(smsPreview.text).toBe('【鹏城本田】张先生，请致电0755-83451234');
  });

  it('signs with the full name until a short name is set', async () => {
    ok(await call(services, admin, 'dealer.save', { servicePhone: '400-888-6666', address: null, shortName: null }));
    const preview = ok(await call(services, supervisor, 'templates.preview', { kind: 'sms', body: '【{{经销商简称}}】请致电{{经销商电话}}' }));
    if (preview.kind !== 'sms') throw new Error('expected an SMS preview');
    expect(preview.text).toBe('【测试本田 4S 店】请致电400-888-6666');
  });
});
