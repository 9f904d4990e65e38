/**
 * The seat's SMS sender (renderer/features/modem/sms-send.ts, behind the composer's and SMS-from-template's
 * useSmsSend) against the real host and outbox: a second Ctrl+Enter while the first send is on its way and
 * a retry after a lost answer each leave one outbox row; a new message, or the same text sent again after
 * a success, is a new row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import type { RequestInput } from '../../../preload/contract';
import { createSmsSender, type SmsSent } from '../../../renderer/features/modem/sms-send';
import { createTestStore, tempDir } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';

describe('sending one SMS from a seat', () => {
  const tmp = tempDir('sms-send-once-');
  let services: Services;
  let agent: CallContext;
  let customerId: string;

  beforeAll(async () => {
    const store = await createTestStore(tmp.dir);
    services = await startServices(store);
    customerId = newId();
    const at = nowIso();
    services.handle.sqlite
      .prepare(`insert into customer (id, dealer_id, name, mobile, created_at, updated_at) values (?, ?, ?, ?, ?, ?)`)
      .run(customerId, store.dealerId, '陈静', '13812345678', at, at);
    agent = await signIn(services, store.staff.agent);
  });
  afterAll(async () => {
    await services?.close();
    tmp.cleanup();
  });

  /** What the seat's `call('sms.send', …)` does, through the real dispatcher. */
  async function toHost(input: RequestInput<'sms.send'>): Promise<SmsSent> {
    const r = await call(services, agent, 'sms.send', input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    return r.data;
  }
  const rowsWith = (body: string) =>
    services.handle.sqlite.prepare<[string, string], { id: string; kind: string }>('select id, kind from sms_message where customer_id = ? and body = ?').all(customerId, body);

  it('sends once for two quick sends of the same text', async () => {
    const sender = createSmsSender(toHost);
    const body = '陈女士您好，您的爱车已保养完毕，可随时到店提车。';
    const message = { customerId, recipient: null, body, kind: 'service' as const };
    const [first, second] = await Promise.all([sender.send(message), sender.send(message)]);
    expect(second).toBeNull();
    expect(first?.duplicate).toBe(false);
    expect(rowsWith(body)).toEqual([{ id: first?.id, kind: 'service' }]);
    expect(sender.inFlight).toBe(false);
  });

  it('reuses the message ref on a retry after a lost answer, and makes a new one after a success or for new text', async () => {
    let loseNextAnswer = true;
    const refs: (string | null | undefined)[] = [];
    const sender = createSmsSender(async (input) => {
      refs.push(input.clientRef);
      const sent = await toHost(input);
      if (loseNextAnswer) {
        loseNextAnswer = false;
        throw new Error('connection lost before the answer');
      }
      return sent;
    });
    const body = '陈女士您好，本周六店内有免费检测活动，欢迎到店。';
    const message = { customerId, recipient: null, body, kind: 'marketing' as const };
    await expect(sender.send(message)).rejects.toThrow('connection lost');
    const retried = await sender.send(message);
    expect(retried?.duplicate).toBe(true);
    expect(refs[1]).toBe(refs[0]);
    expect(rowsWith(body)).toEqual([{ id: retried?.id, kind: 'marketing' }]);

    // Sent on purpose a second time after it went through: a second message.
    const again = await sender.send(message);
    expect(again?.duplicate).toBe(false);
    expect(refs[2]).not.toBe(refs[0]);
    expect(rowsWith(body)).toHaveLength(2);

    // The agent edits the text after a failure: the edited text is its own message.
    const failing = createSmsSender(async (input) => {
      refs.push(input.clientRef);
      throw new Error('offline');
    });
    await expect(failing.send({ ...message, body: '草稿一' })).rejects.toThrow('offline');
    await expect(failing.send({ ...message, body: '草稿二' })).rejects.toThrow('offline');
    await expect(failing.send({ ...message, body: '草稿二' })).rejects.toThrow('offline');
    expect(refs[4]).not.toBe(refs[3]);
    expect(refs[5]).toBe(refs[4]);
  });
});
