/** Lists every campaigns screen shares: call outcomes and reasons, loaded once per session. */
import { create } from 'zustand';
import type { DispositionDto, ReasonDto } from '../../../preload/channels/campaigns';
import { call } from '../../api';

interface ListsState {
  dispositions: DispositionDto[];
  feedback: ReasonDto[];
  close: ReasonDto[];
  loaded: boolean;
  load(): Promise<void>;
  /** After a supervisor changed the lists in 活动设置. */
  reload(): Promise<void>;
}

export const useCampaignLists = create<ListsState>((set, get) => ({
  dispositions: [],
  feedback: [],
  close: [],
  loaded: false,
  async load() {
    if (get().loaded) return;
    const [dispositions, feedback, close] = await Promise.all([
      call('campaigns.dispositions', {}),
      call('campaigns.reasons', { kind: 'feedback' }),
      call('campaigns.reasons', { kind: 'close' }),
    ]);
    set({ dispositions, feedback, close, loaded: true });
  },
  async reload() {
    set({ loaded: false });
    await get().load();
  },
}));
