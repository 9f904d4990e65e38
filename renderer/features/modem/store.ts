/**
 * Modem state shared by the inbox, the customer page and the global call pop: the modem's health, the
 * unread total, the current call, and a tick that bumps whenever an SMS arrives or changes state so open
 * threads reload. Fed by host events; `useModemEvents` is mounted once (by CallCenter in the shell).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { EventPayload, RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';

export type ModemStatusDto = RequestOutput<'modem.status'>;
export type CallDto = EventPayload<'call.state'>;

interface ModemUiState {
  status: ModemStatusDto | null;
  unreadTotal: number;
  call: CallDto | null;
  /** Bumps on every sms.received / sms.state: open threads and lists reload. */
  smsTick: number;
  refreshStatus(): Promise<void>;
  refreshUnread(): Promise<void>;
  setCall(call: CallDto | null): void;
}

export const useModem = create<ModemUiState>((set, get) => ({
  status: null,
  unreadTotal: 0,
  call: null,
  smsTick: 0,
  async refreshStatus() {
    try {
      set({ status: await call('modem.status', {}) });
    } catch {
      // The badge keeps its last value; the inbox shows load errors itself.
    }
  },
  async refreshUnread() {
    try {
      set({ unreadTotal: (await call('sms.threads', { limit: 1 })).unreadTotal });
    } catch {
      // as above
    }
  },
  setCall(next) {
    const current = get().call;
    // A late state of an older call must not replace the call on screen.
    if (next && current && next.callId !== current.callId && next.phase === 'ended') return;
    set({ call: next && next.phase === 'ended' ? null : next });
  },
}));

/** Subscribes the shared state to the host's modem events; mount once while signed in. */
export function useModemEvents(): void {
  useEffect(() => {
    const api = getApi();
    const state = useModem.getState();
    void state.refreshStatus();
    void state.refreshUnread();
    const offs = [
      api.on('modem.status', (s) => {
        const prev = useModem.getState().status;
        useModem.setState({ status: { ...s, queue: prev?.queue ?? { queued: 0, uncertain: 0, failedToday: 0 } } });
        // The queue counts come with the channel only.
        void useModem.getState().refreshStatus();
      }),
      api.on('call.incoming', (c) => useModem.getState().setCall(c)),
      api.on('call.state', (c) => useModem.getState().setCall(c)),
      api.on('sms.received', () => {
        useModem.setState((s) => ({ smsTick: s.smsTick + 1 }));
        void useModem.getState().refreshUnread();
      }),
      api.on('sms.state', () => {
        useModem.setState((s) => ({ smsTick: s.smsTick + 1 }));
        void useModem.getState().refreshStatus();
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, []);
}
