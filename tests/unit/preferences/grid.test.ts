import { describe, expect, it } from 'vitest';
import type { PreferencesDto } from '../../../preload/channels/preferences';
import { CHANNELS, PURPOSES, cellOf } from '../../../renderer/features/preferences/grid';

const AT = '2026-03-01T02:00:00.000Z';

function prefs(flags: Array<[PreferencesDto['flags'][number]['purpose'], PreferencesDto['flags'][number]['channel']]>, optedOut = false): PreferencesDto {
  return {
    customerId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    flags: flags.map(([purpose, channel]) => ({ purpose, channel, reason: `${purpose}/${channel}`, setByName: null, since: AT })),
    smsOptOut: { optedOut, at: optedOut ? AT : null, source: optedOut ? 'sms_reply' : null, replyText: optedOut ? 'TD' : null, needsSupervisor: optedOut },
    soldVehicles: [],
    history: [],
  };
}

const grid = (data: PreferencesDto) =>
  Object.fromEntries(PURPOSES.flatMap((p) => CHANNELS.map((c) => [`${p}/${c}`, cellOf(data, p, c).state])));

describe('preferences grid', () => {
  it('with no flags every cell is open', () => {
    expect(Object.values(grid(prefs([])))).toEqual(Array(20).fill('on'));
  });

  it('a cell with its own flag is off and carries the reason', () => {
    expect(cellOf(prefs([['marketing', 'sms']]), 'marketing', 'sms')).toEqual({ state: 'flag', reason: 'marketing/sms' });
    expect(cellOf(prefs([['marketing', 'sms']]), 'maintenance', 'sms')).toEqual({ state: 'on' });
  });

  it('the 全部用途 row covers its column and the 所有渠道 column its row; both at once say so', () => {
    const g = grid(prefs([['all', 'phone'], ['survey', 'any']]));
    expect(g['maintenance/phone']).toBe('covered');
    expect(g['all/phone']).toBe('flag');
    expect(g['survey/sms']).toBe('covered');
    expect(g['survey/any']).toBe('flag');
    expect(g['maintenance/sms']).toBe('on');
    expect(cellOf(prefs([['all', 'phone'], ['survey', 'any']]), 'survey', 'phone')).toEqual({ state: 'covered', by: 'both' });
    expect(cellOf(prefs([['all', 'any']]), 'insurance', 'letter')).toEqual({ state: 'covered', by: 'both' });
    expect(cellOf(prefs([['all', 'any']]), 'all', 'letter')).toEqual({ state: 'covered', by: 'channel' });
  });

  it('the SMS opt-out covers every SMS cell without a flag of its own, and nothing else', () => {
    const g = grid(prefs([['marketing', 'sms']], true));
    expect(PURPOSES.map((p) => g[`${p}/sms`])).toEqual(['covered', 'covered', 'covered', 'flag', 'covered']);
    expect(cellOf(prefs([], true), 'maintenance', 'sms')).toEqual({ state: 'covered', by: 'optOut' });
    expect(g['maintenance/phone']).toBe('on');
    expect(g['all/any']).toBe('on');
  });
});
