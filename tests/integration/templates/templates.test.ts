import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { createTemplates, type Templates } from '../../../main/templates';
import { ServiceError } from '../../../main/rpc';
import { createTestStore, tempDir } from '../../support/db';

describe('templates store', () => {
  const tmp = tempDir('templates-');
  let handle: DbHandle;
  let templates: Templates;
  let dealerId: string;

  beforeAll(async () => {
    const store = await createTestStore(tmp.dir);
    dealerId = store.dealerId;
    handle = openDatabase(store.file);
    templates = createTemplates({ handle });
    await templates.ensureDefaults(dealerId);
    await templates.ensureDefaults(dealerId);
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  it('seeds the default templates once, and every default is valid', async () => {
    const all = await templates.list(dealerId);
    expect(new Set(all.map((t) => t.code)).size).toBe(all.length);
    expect(all.map((t) => t.code)).toContain('sms.maintenance');
    for (const t of all) {
      await expect(templates.save(dealerId, { id: t.id, code: t.code, kind: t.kind, name: t.name, body: t.body, page: t.page })).resolves.toBeTruthy();
    }
  });

  it('renders a saved SMS with its segment count and names missing values', async () => {
    const out = await templates.renderSms(dealerId, 'sms.maintenance', {
      dealerName: '广本天河店',
      dealerShortName: '广本天河',
      salutation: '张先生',
      plate: '粤A12345',
      dueDate: '2026-07-01',
    });
    expect(out.text).toMatch(/^【广本天河】/);
    expect(out.text).toContain('尊敬的张先生，您的爱车粤A12345将于2026-07-01');
    expect(out.segments.encoding).toBe('ucs2');
    expect(out.segments.parts).toBe(out.text.length <= 70 ? 1 : Math.ceil(out.text.length / 67));
    expect(out.missing).toEqual(['dealerPhone']);
  });

  it('rejects a template with an unknown field and does not store it', async () => {
    const err = await templates.save(dealerId, { code: 'sms.bad', kind: 'sms', name: '坏模板', body: '您好{{客户名}}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).issues?.[0]?.message.zh).toContain('客户名');
    await expect(templates.get(dealerId, 'sms.bad')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('renders a birthday-card batch as one A6 document with a page per customer', async () => {
    const doc = await templates.renderDocument(dealerId, 'card.birthday', [
      { salutation: '王女士', gift: '车载香薰', dealerName: '广本天河店' },
      { salutation: '赵先生', gift: '洗车券', dealerName: '广本天河店' },
    ]);
    expect(doc.pages).toBe(2);
    expect(doc.html).toContain('size: 148mm 105mm');
    expect(doc.html).toContain('王女士');
    expect(doc.html).toContain('洗车券');
  });

  it('answers DUPLICATE at the code field when another save takes the code between the check and the write', async () => {
    // Another seat's save lands right after this one's first query (the check that the code is free).
    let otherSeatTakes: string | null = null;
    const otherSaveWins: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (otherSeatTakes) {
          const at = nowIso();
          handle.sqlite
            .prepare('insert into message_template (id, dealer_id, code, kind, name, body, page, active, created_at, updated_at) values (?, ?, ?, ?, ?, ?, null, 1, ?, ?)')
            .run(newId(), dealerId, otherSeatTakes, 'sms', '另一席位', '您好', at, at);
          otherSeatTakes = null;
        }
        return args.result;
      },
    };
    const racing = createTemplates({ handle: { ...handle, db: handle.db.withPlugin(otherSaveWins) } });
    const duplicate = { code: 'DUPLICATE', issues: [{ path: 'code', message: { zh: '模板编码已存在', en: 'This template code is already used' } }] };

    otherSeatTakes = 'sms.raced';
    const created = await racing.save(dealerId, { code: 'sms.raced', kind: 'sms', name: '抢注', body: '{{称呼}}您好' }).catch((e: unknown) => e);
    expect(otherSeatTakes).toBeNull();
    expect(created).toBeInstanceOf(ServiceError);
    expect(created).toMatchObject(duplicate);
    expect((await templates.get(dealerId, 'sms.raced')).name).toBe('另一席位');

    // The same for an update that renames a template to a code taken meanwhile; it keeps its code.
    const mine = await templates.save(dealerId, { code: 'sms.mine', kind: 'sms', name: '我的', body: '您好' });
    otherSeatTakes = 'sms.renamed';
    const renamed = await racing.save(dealerId, { id: mine.id, code: 'sms.renamed', kind: 'sms', name: '我的', body: '您好' }).catch((e: unknown) => e);
    expect(otherSeatTakes).toBeNull();
    expect(renamed).toMatchObject(duplicate);
    expect((await templates.get(dealerId, mine.id)).code).toBe('sms.mine');
  });
});
