/**
 * The contact preferences of the customer on screen, shared by the preferences card and the 已售 column
 * of the vehicles table so both show one state; every change answers with the fresh state.
 */
import { create } from 'zustand';
import type { PreferencesDto } from '../../../preload/channels/preferences';
import type { ApiErrorBody } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody } from '../../app/errors';

interface PreferencesState {
  customerId: string | null;
  data: PreferencesDto | null;
  error: ApiErrorBody | null;
  load(customerId: string): Promise<void>;
  /** A change's answer (or another seat's change, reloaded). */
  apply(data: PreferencesDto): void;
}

export const usePreferences = create<PreferencesState>((set, get) => ({
  customerId: null,
  data: null,
  error: null,
  async load(customerId) {
    if (get().customerId !== customerId) set({ customerId, data: null, error: null });
    try {
      const data = await call('preferences.get', { customerId });
      if (get().customerId === customerId) set({ data, error: null });
    } catch (e) {
      if (get().customerId === customerId) set({ error: errorBody(e) });
    }
  },
  apply(data) {
    if (get().customerId === data.customerId) set({ data, error: null });
  },
}));
