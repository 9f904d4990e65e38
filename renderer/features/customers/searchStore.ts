/**
 * Search-as-you-type state. Kept in a store so going back from a customer shows the same results.
 * Typing is debounced; every request carries a sequence number and only the newest may land, so a slow
 * early response never overwrites a later one.
 */
import { create } from 'zustand';
import type { ApiErrorBody, CustomerHit } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody } from '../../app/errors';

export const SEARCH_DEBOUNCE_MS = 150;
export const SEARCH_LIMIT = 200;

interface SearchState {
  query: string;
  /** The query the current hits answer (trimmed). */
  answered: string;
  hits: CustomerHit[];
  more: boolean;
  loading: boolean;
  error: ApiErrorBody | null;
  selected: number;
  setQuery(query: string): void;
  select(index: number): void;
  clear(): void;
}

let sequence = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

export const useSearch = create<SearchState>((set) => {
  async function run(q: string) {
    const mine = ++sequence;
    try {
      const result = await call('customers.search', { q, limit: SEARCH_LIMIT });
      if (mine !== sequence) return;
      set({ hits: result.items, more: result.more, answered: q, loading: false, error: null, selected: result.items.length > 0 ? 0 : -1 });
    } catch (error) {
      if (mine !== sequence) return;
      set({ loading: false, error: errorBody(error) });
    }
  }

  function reset() {
    sequence++;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return {
    query: '',
    answered: '',
    hits: [],
    more: false,
    loading: false,
    error: null,
    selected: -1,
    setQuery(query) {
      reset();
      const q = query.trim();
      if (!q) {
        set({ query, answered: '', hits: [], more: false, loading: false, error: null, selected: -1 });
        return;
      }
      set({ query, loading: true });
      timer = setTimeout(() => void run(q), SEARCH_DEBOUNCE_MS);
    },
    select(index) {
      set((s) => ({ selected: s.hits.length === 0 ? -1 : Math.max(0, Math.min(s.hits.length - 1, index)) }));
    },
    clear() {
      reset();
      set({ query: '', answered: '', hits: [], more: false, loading: false, error: null, selected: -1 });
    },
  };
});
