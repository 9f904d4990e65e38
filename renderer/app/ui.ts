import { create } from 'zustand';

/** Cross-screen UI requests, e.g. the global "/" shortcut asking the search box to take focus. */
interface UiState {
  focusSearchRequest: number;
  requestSearchFocus(): void;
}

export const useUi = create<UiState>((set) => ({
  focusSearchRequest: 0,
  requestSearchFocus: () => set((s) => ({ focusSearchRequest: s.focusSearchRequest + 1 })),
}));
