/**
 * The seat's alarm store: a failed read of the open list is kept with the host's bilingual message (the
 * console shows it with 重试 instead of spinning), a retry that succeeds clears it, and alarms the host
 * holds back (silence / maintenance window, failing parent) neither ring nor count on the bell.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '../../../preload/contract';
import { errorMessages } from '../../../preload/messages';
import { ApiError, call } from '../../../renderer/api';
import { needsAttention, ringing, useAlarms, type AlarmDto } from '../../../renderer/features/alarms/store';

vi.mock('../../../renderer/api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../renderer/api')>()),
  call: vi.fn(),
}));
const callMock = vi.mocked(call);

function alarm(patch: Partial<AlarmDto>): AlarmDto {
  return {
    id: '01HZY5J8M2Q9V7X3T4W6K8N0PA',
    fingerprint: 'sms-01/svc:gateway',
    name: '短信网关',
    server: 'sms-01',
    severity: 'critical',
    state: 'firing',
    detail: 'connect ECONNREFUSED',
    occurrences: 1,
    firstSeenAt: '2025-03-01T08:00:00.000Z',
    lastSeenAt: '2025-03-01T08:00:00.000Z',
    firedAt: '2025-03-01T08:00:00.000Z',
    suppressedBy: null,
    silenceId: null,
    ack: null,
    escalatedAt: null,
    escalatedVia: null,
    resolvedAt: null,
    ...patch,
  };
}

const busy: ApiErrorBody = { code: 'UNAVAILABLE', message: errorMessages.UNAVAILABLE };

beforeEach(() => {
  callMock.mockReset();
  useAlarms.setState({ open: [], loaded: false, loading: false, loadError: null });
});

describe('reading the open list', () => {
  it('keeps the failure with its bilingual message instead of staying "loading", and a retry clears it', async () => {
    callMock.mockRejectedValueOnce(new ApiError(busy));
    await useAlarms.getState().load();
    expect(useAlarms.getState()).toMatchObject({ loaded: false, loading: false, loadError: busy });
    expect(useAlarms.getState().loadError?.message).toEqual({ zh: '服务暂不可用，请稍后再试', en: 'The service is unavailable; try again later' });

    const firing = alarm({});
    callMock.mockResolvedValueOnce([firing]);
    await useAlarms.getState().load();
    expect(useAlarms.getState()).toMatchObject({ loaded: true, loading: false, loadError: null, open: [firing] });
    expect(callMock).toHaveBeenCalledWith('alarms.open', {});
  });

  it('reports something other than a host error as the internal error, never as a thrown exception', async () => {
    callMock.mockRejectedValueOnce(new TypeError('socket went away'));
    await expect(useAlarms.getState().load()).resolves.toBeUndefined();
    expect(useAlarms.getState().loadError).toEqual({ code: 'INTERNAL', message: errorMessages.INTERNAL });
  });

  it('keeps the list it had when a later read fails, so the console shows it with the error', async () => {
    const firing = alarm({});
    callMock.mockResolvedValueOnce([firing]);
    await useAlarms.getState().load();
    callMock.mockRejectedValueOnce(new ApiError(busy));
    await useAlarms.getState().load();
    expect(useAlarms.getState()).toMatchObject({ loaded: true, open: [firing], loadError: busy });
  });
});

describe('held alarms', () => {
  const now = Date.parse('2025-03-01T08:01:00.000Z');
  const plain = alarm({ id: '01HZY5J8M2Q9V7X3T4W6K8N0P1', fingerprint: 'a/svc:x' });
  const silenced = alarm({ id: '01HZY5J8M2Q9V7X3T4W6K8N0P2', fingerprint: 'b/svc:y', silenceId: '01HZY5J8M2Q9V7X3T4W6K8N0S1' });
  const behindParent = alarm({ id: '01HZY5J8M2Q9V7X3T4W6K8N0P3', fingerprint: 'local/sms-link', suppressedBy: 'parent:local/modem-line' });

  it('rings and counts only what the host did not hold back', () => {
    expect(ringing({ open: [plain, silenced, behindParent], snoozed: {}, now }).map((a) => a.id)).toEqual([plain.id]);
    expect([plain, silenced, behindParent].filter(needsAttention)).toEqual([plain]);
  });

  it('counts an alarm again once its silence is over (the host clears silenceId when it alerts)', () => {
    const released = { ...silenced, silenceId: null };
    expect(needsAttention(released)).toBe(true);
    expect(ringing({ open: [released], snoozed: {}, now }).map((a) => a.id)).toEqual([released.id]);
  });

  it('neither counts nor rings an acknowledged alarm, held or not', () => {
    const acked = alarm({ state: 'acknowledged', ack: { by: plain.id, byName: '李主管', at: '2025-03-01T08:00:30.000Z', comment: '已通知 IT' } });
    expect(needsAttention(acked)).toBe(false);
    expect(ringing({ open: [acked], snoozed: {}, now })).toEqual([]);
  });
});
