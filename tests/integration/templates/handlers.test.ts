/**
 * Template channels through the real dispatcher: roles, field-level validation messages (unknown
 * merge field, unclosed brace, unsafe HTML, paper size, code rules), the save/list round trip, the
 * editor's preview, an SMS filled for one customer, the Excel export, and the starting templates
 * being in place before campaigns link their steps to them.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { smsKindFor } from '../../../main/campaigns/sms-handoff';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import type { Result } from '../../../preload/contract';
import { addCustomer, addVehicle } from '../campaigns/fixture';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let admin: CallContext;

beforeAll(async () => {
  const tmp = tempDir('templates-handlers-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  admin = await signIn(services, store.staff.admin);
});
afterAll(async () => {
  await services.close();
  cleanup();
});

function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${JSON.stringify(r.error.issues ?? r.error.message)}`);
  return r.data;
}
function issues(r: Result<unknown>): { path: string; zh: string; en: string }[] {
  if (r.ok) throw new Error('expected a failure');
  return (r.error.issues ?? []).map((i) => ({ path: i.path, zh: i.message.zh, en: i.message.en }));
}

const smsDraft = { code: 'sms.spring', kind: 'sms', name: '春季保养', body: '【{{经销商}}】{{称呼}}您好，春季保养季到了。' };

describe('template channels', () => {
  it('every seat lists the starting templates, filtered by kind; agents may not save or export', async () => {
    const all = data(await call(services, agent, 'templates.list', {}));
    expect(all.map((t) => t.code)).toEqual(expect.arrayContaining(['sms.maintenance', 'letter.reminder', 'card.birthday', 'envelope.dl']));
    expect(all.every((t) => t.builtIn)).toBe(true);
    const sms = data(await call(services, agent, 'templates.list', { kind: 'sms' }));
    expect(sms.length).toBeGreaterThan(3);
    expect(sms.every((t) => t.kind === 'sms' && t.page === null)).toBe(true);
    const cards = data(await call(services, agent, 'templates.list', { kind: 'card' }));
    expect(cards.map((t) => [t.code, t.page])).toEqual([['card.birthday', 'A6']]);

    const save = await call(services, agent, 'templates.save', smsDraft);
    expect(save.ok ? null : save.error.code).toBe('FORBIDDEN');
    const exported = await call(services, agent, 'templates.export', {});
    expect(exported.ok ? null : exported.error.code).toBe('FORBIDDEN');
  });

  it('refuses bodies with an unknown field, an unclosed brace or unsafe HTML, at the body field in both languages', async () => {
    const unknown = await call(services, supervisor, 'templates.save', { ...smsDraft, body: '您好{{nope}}，{{客户姓名}}' });
    expect(unknown.ok ? null : unknown.error.code).toBe('VALIDATION');
    expect(issues(unknown)).toEqual([{ path: 'body', zh: '未知的合并字段：{{nope}}', en: 'Unknown merge field: {{nope}}' }]);

    const unclosed = issues(await call(services, supervisor, 'templates.save', { ...smsDraft, body: '您好{{客户姓名，欢迎回店' }));
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]).toMatchObject({ path: 'body', zh: expect.stringContaining('合并字段没有闭合'), en: expect.stringContaining('not closed') });

    const script = issues(
      await call(services, supervisor, 'templates.save', { code: 'letter.evil', kind: 'letter', name: '坏信', body: '<p>{{称呼}}</p><script>alert(1)</script>', page: 'A4' }),
    );
    expect(script.map((i) => i.path)).toEqual(['body']);
    expect(script[0]?.zh).toContain('不能包含脚本');
    const handler = issues(await call(services, supervisor, 'templates.save', { code: 'letter.evil', kind: 'letter', name: '坏信', body: '<p onclick="x()">hi</p>', page: 'A4' }));
    expect(handler[0]?.en).toContain('scripts or remote content');

    const noPage = issues(await call(services, supervisor, 'templates.save', { code: 'letter.nopage', kind: 'letter', name: '无纸张', body: '<p>{{称呼}}</p>' }));
    expect(noPage).toEqual([{ path: 'page', zh: '信件、贺卡和信封需要选择纸张尺寸', en: 'Letters, cards and envelopes need a paper size' }]);

    const badCode = issues(await call(services, supervisor, 'templates.save', { ...smsDraft, code: 'Bad Code!' }));
    expect(badCode.map((i) => i.path)).toEqual(['code']);
    expect(badCode[0]?.zh).toContain('小写字母开头');
    const noName = issues(await call(services, supervisor, 'templates.save', { ...smsDraft, name: '  ' }));
    expect(noName).toEqual([{ path: 'name', zh: '模板名称为 1–60 个字符', en: 'A template name has 1–60 characters' }]);

    const codes = data(await call(services, supervisor, 'templates.list', {})).map((t) => t.code);
    expect(codes).not.toContain('sms.spring');
    expect(codes).not.toContain('letter.evil');
  });

  it('saves a new template, lists it, updates it, and guards codes and kinds', async () => {
    const created = data(await call(services, supervisor, 'templates.save', smsDraft));
    expect(created).toMatchObject({ code: 'sms.spring', kind: 'sms', name: '春季保养', page: null, active: true, builtIn: false });
    const listed = data(await call(services, agent, 'templates.list', { kind: 'sms' })).find((t) => t.id === created.id);
    expect(listed?.body).toBe(smsDraft.body);

    const updated = data(
      await call(services, supervisor, 'templates.save', { ...smsDraft, id: created.id, code: 'sms.spring_2026', name: '春季保养 2026', active: false }),
    );
    expect(updated).toMatchObject({ id: created.id, code: 'sms.spring_2026', active: false });
    expect(data(await call(services, agent, 'templates.get', { id: created.id })).name).toBe('春季保养 2026');
    const active = data(await call(services, agent, 'templates.list', { kind: 'sms', activeOnly: true }));
    expect(active.some((t) => t.id === created.id)).toBe(false);

    const dup = await call(services, supervisor, 'templates.save', { ...smsDraft, code: 'sms.maintenance' });
    expect(dup.ok ? null : dup.error.code).toBe('DUPLICATE');
    expect(issues(dup).map((i) => i.path)).toEqual(['code']);
    const dupOnUpdate = await call(services, supervisor, 'templates.save', { ...smsDraft, id: created.id, code: 'sms.birthday' });
    expect(issues(dupOnUpdate).map((i) => i.path)).toEqual(['code']);

    const builtIn = data(await call(services, agent, 'templates.list', { kind: 'sms' })).find((t) => t.code === 'sms.followup');
    if (!builtIn) throw new Error('no sms.followup');
    const renamed = await call(services, supervisor, 'templates.save', { id: builtIn.id, code: 'sms.followup2', kind: 'sms', name: builtIn.name, body: builtIn.body });
    expect(issues(renamed)).toEqual([expect.objectContaining({ path: 'code', zh: expect.stringContaining('内置模板的编码不能修改') })]);
    const rekinded = await call(services, supervisor, 'templates.save', { id: created.id, code: 'sms.spring_2026', kind: 'letter', name: 'x', body: '<p>x</p>', page: 'A4' });
    expect(issues(rekinded).map((i) => i.path)).toEqual(['kind']);
    // A built-in template's wording is the dealer's to change.
    const reworded = data(
      await call(services, supervisor, 'templates.save', { id: builtIn.id, code: builtIn.code, kind: 'sms', name: builtIn.name, body: '{{称呼}}您好，感谢到店。', page: null, active: true }),
    );
    expect(reworded.body).toBe('{{称呼}}您好，感谢到店。');

    const missing = await call(services, supervisor, 'templates.save', { ...smsDraft, id: newId(), code: 'sms.ghost' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });

  it('previews a draft SMS with sample values and counts its parts as the text crosses 70 characters', async () => {
    const short = data(await call(services, agent, 'templates.preview', { kind: 'sms', body: '{{称呼}}您好' }));
    if (short.kind !== 'sms') throw new Error('expected an SMS preview');
    expect(short.text).toBe('张先生您好');
    expect(short.segments).toMatchObject({ encoding: 'ucs2', characters: 5, parts: 1, perPart: 70 });
    expect(short.rawSegments.characters).toBe('{{称呼}}您好'.length);

    const long = data(await call(services, agent, 'templates.preview', { kind: 'sms', body: `{{称呼}}您好${'保'.repeat(66)}` }));
    if (long.kind !== 'sms') throw new Error('expected an SMS preview');
    expect(long.segments).toMatchObject({ characters: 71, parts: 2, perPart: 67 });

    const latin = data(await call(services, agent, 'templates.preview', { kind: 'sms', body: 'Hello {{customerName}}' }));
    if (latin.kind !== 'sms') throw new Error('expected an SMS preview');
    expect(latin.text).toBe('Hello 张伟');
    expect(latin.segments.encoding).toBe('ucs2');
    expect(data(await call(services, agent, 'templates.preview', { kind: 'sms', body: 'Hello {{nope}}' })).issues.map((i) => i.code)).toEqual(['UNKNOWN_FIELD']);
  });

  it('previews a letter as one escaped, script-free page on the chosen paper', async () => {
    const doc = data(await call(services, agent, 'templates.preview', { kind: 'card', body: '<p>亲爱的{{称呼}}</p><script>x</script>', page: null }));
    if (doc.kind !== 'document') throw new Error('expected a document preview');
    expect(doc.pages).toBe(1);
    expect(doc.html).toContain('亲爱的张先生');
    expect(doc.html).toContain('148mm 105mm');
    expect(doc.html).toContain("default-src 'none'");
    expect(doc.issues.map((i) => i.code)).toEqual(['UNSAFE_HTML']);
    const a4 = data(await call(services, agent, 'templates.preview', { kind: 'letter', body: '<p>{{地址}}</p>', page: 'A4' }));
    expect(a4.kind === 'document' && a4.html.includes('210mm 297mm')).toBe(true);
  });

  it('fills an SMS template for a customer: name, car, open reminder, booked appointment and dealer', async () => {
    const h = services.handle;
    const customerId = addCustomer(h, store.dealerId, { name: '李娜', gender: 'F', mobile: '13912345678', memberTier: 'gold' });
    const vehicleId = addVehicle(h, store.dealerId, customerId, { model: 'Accord', mileageKm: 23000 });
    const plate = h.sqlite.prepare<[string], string>('select plate from vehicle where id = ?').pluck().get(vehicleId);
    const at = '2026-01-01T00:00:00.000Z';
    h.sqlite
      .prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, advisor, status, created_at, updated_at)
        values (?, ?, ?, ?, '2999-01-02', '09:30', 'maintenance', '黄志强', 'booked', ?, ?)`)
      .run(newId(), store.dealerId, customerId, vehicleId, at, at);

    const body = '{{称呼}}：{{车型}} {{车牌}} {{里程}}km，{{会员等级}}，预约 {{预约日期}} {{预约时间}} 顾问{{顾问}}。{{经销商}}{{经销商电话}}';
    const template = data(await call(services, supervisor, 'templates.save', { code: 'sms.fill_test', kind: 'sms', name: '填充测试', body }));
    const out = data(await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId }));
    expect(out.text).toBe(`李女士：雅阁 ${plate} 23000km，金卡会员，预约 2999-01-02 09:30 顾问黄志强。测试本田 4S 店`);
    expect(out.missing).toEqual(['dealerPhone']);
    expect(out.mobile).toBe('13912345678');
    expect(out.segments.parts).toBe(out.text.length <= 70 ? 1 : 2);

    // A second car: without a vehicle the car fields stay empty; naming the vehicle fills them.
    addVehicle(h, store.dealerId, customerId, { model: 'Fit' });
    const ambiguous = data(await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId }));
    expect(ambiguous.missing).toEqual(expect.arrayContaining(['plate', 'model', 'mileage']));
    const chosen = data(await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId, vehicleId }));
    expect(chosen.text).toContain(`雅阁 ${plate}`);

    const letter = data(await call(services, agent, 'templates.list', { kind: 'letter' }))[0];
    if (!letter) throw new Error('no letter template');
    const notSms = await call(services, agent, 'templates.renderFor', { templateId: letter.id, customerId });
    expect(issues(notSms).map((i) => i.path)).toEqual(['templateId']);
    const otherCar = await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId, vehicleId: newId() });
    expect(otherCar.ok ? null : otherCar.error.code).toBe('NOT_FOUND');
  });

  it('says to send appointment confirmations as service SMS and every other template as marketing, as campaigns do', async () => {
    const customerId = addCustomer(services.handle, store.dealerId, { name: '周敏', gender: 'F', mobile: '13612345678' });
    addVehicle(services.handle, store.dealerId, customerId);
    const sms = data(await call(services, agent, 'templates.list', { kind: 'sms' }));
    const own = data(await call(services, supervisor, 'templates.save', { code: 'sms.own_offer', kind: 'sms', name: '自建优惠', body: '{{称呼}}您好，本月保养八折。' }));
    const kindOf = async (code: string) => {
      const template = [...sms, own].find((t) => t.code === code);
      if (!template) throw new Error(`no ${code}`);
      return data(await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId })).kind;
    };
    expect(await kindOf('sms.appointment_day_before')).toBe('service');
    expect(await kindOf('sms.appointment_hour_before')).toBe('service');
    for (const code of ['sms.winback', 'sms.birthday', 'sms.maintenance', 'sms.own_offer']) expect([code, await kindOf(code)]).toEqual([code, 'marketing']);
    // The campaigns' hand-off to the outbox uses the same rule for its own rows.
    expect([smsKindFor('appointment'), smsKindFor('maintenance'), smsKindFor('marketing')]).toEqual(['service', 'marketing', 'marketing']);
  });

  it("fills the dealer's phone and address that 系统设置 keeps (dealer.save) into a template", async () => {
    const saved = data(await call(services, admin, 'dealer.save', { servicePhone: ' 020 3888 6666 ', address: '广州市白云区机场路 1688 号', shortName: null }));
    expect(saved.servicePhone).toBe('020-38886666');

    const customerId = addCustomer(services.handle, store.dealerId, { name: '王强', gender: 'M' });
    addVehicle(services.handle, store.dealerId, customerId);
    const template = data(await call(services, supervisor, 'templates.save', { code: 'sms.dealer_test', kind: 'sms', name: '经销商测试', body: '{{称呼}}：请致电{{经销商电话}}，地址{{经销商地址}}。' }));
    const out = data(await call(services, agent, 'templates.renderFor', { templateId: template.id, customerId }));
    expect(out.text).toBe('王先生：请致电020-38886666，地址广州市白云区机场路 1688 号。');
    expect(out.missing).toEqual([]);
  });

  it('exports the list to Excel with Chinese headers and one row per template', async () => {
    const file = data(await call(services, supervisor, 'templates.export', { kind: 'sms' }));
    expect(file.fileName).toMatch(/^模板_\d{8}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(Buffer.from(file.base64, 'base64')).buffer);
    const sheet = workbook.getWorksheet('模板');
    if (!sheet) throw new Error('no sheet');
    expect(sheet.getRow(1).values).toEqual([undefined, '类型', '编码', '名称', '纸张', '启用', '内置', '短信条数', '更新时间', '内容']);
    const sms = data(await call(services, supervisor, 'templates.list', { kind: 'sms' }));
    expect(file.rows).toBe(sms.length);
    expect(sheet.rowCount).toBe(sms.length + 1);
    const maintenance = sheet.getRows(2, sms.length)?.find((r) => r.getCell(2).value === 'sms.maintenance');
    expect(maintenance?.getCell(1).value).toBe('短信');
    expect(Number(maintenance?.getCell(7).value)).toBeGreaterThanOrEqual(1);
  });
});

describe('starting templates on a new store', () => {
  it('are written when the services start, before campaigns link their steps to them', async () => {
    const tmp = tempDir('templates-start-');
    const fresh = await createTestStore(tmp.dir);
    const s = await startServices(fresh);
    try {
      await s.start();
      const linked = s.handle.sqlite
        .prepare<[string], { channel: string; code: string | null }>(
          `select s.channel, t.code from campaign_step s join campaign c on c.id = s.campaign_id
             left join message_template t on t.id = s.template_id where c.dealer_id = ? and c.kind = 'maintenance' order by s.seq`,
        )
        .all(fresh.dealerId);
      expect(linked.find((r) => r.channel === 'sms')?.code).toBe('sms.maintenance');
      expect(linked.find((r) => r.channel === 'letter')?.code).toBe('letter.reminder');
    } finally {
      await s.close();
      tmp.cleanup();
    }
  });
});
