/**
 * State the DMS screens share: the sources, the chosen source, and live run progress from the host's
 * dms.progress / dms.runFinished events (subscribed once while the feature is open).
 */
import { create } from 'zustand';
import type { ApiErrorBody, EventPayload, RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { errorBody } from '../../app/errors';

export type DmsSource = RequestOutput<'dms.sources.list'>[number];
export type DmsProgress = EventPayload<'dms.progress'>;
export type DmsFinished = EventPayload<'dms.runFinished'>;

interface DmsState {
  sources: DmsSource[];
  sourceId: string | null;
  loading: boolean;
  error: ApiErrorBody | null;
  /** Latest progress per source while a run is going. */
  progress: Record<string, DmsProgress>;
  /** Last finished run per source (for the banner and to refresh lists). */
  finished: Record<string, DmsFinished>;
  /** Bumped whenever a run ends, so lists that depend on runs reload. */
  runsVersion: number;
  load(): Promise<void>;
  select(id: string): void;
  markStarted(sourceId: string): void;
  subscribe(): () => void;
}

export const useDms = create<DmsState>((set, get) => ({
  sources: [],
  sourceId: null,
  loading: false,
  error: null,
  progress: {},
  finished: {},
  runsVersion: 0,
  async load() {
    set({ loading: true });
    try {
      const sources = await call('dms.sources.list', {});
      const current = get().sourceId;
      const keep = sources.some((s) => s.id === current) ? current : (sources.find((s) => s.kind === 'rest') ?? sources[0])?.id ?? null;
      set({ sources, sourceId: keep, error: null });
    } catch (e) {
      set({ error: errorBody(e) });
    } finally {
      set({ loading: false });
    }
  },
  select(id) {
    set({ sourceId: id });
  },
  markStarted(sourceId) {
    set((s) => ({ sources: s.sources.map((x) => (x.id === sourceId ? { ...x, running: true } : x)) }));
  },
  subscribe() {
    const api = getApi();
    const offProgress = api.on('dms.progress', (p) => set((s) => ({ progress: { ...s.progress, [p.sourceId]: p } })));
    const offFinished = api.on('dms.runFinished', (f) =>
      set((s) => {
        const progress = { ...s.progress };
        delete progress[f.sourceId];
        return {
          progress,
          finished: { ...s.finished, [f.sourceId]: f },
          runsVersion: s.runsVersion + 1,
          sources: s.sources.map((x) => (x.id === f.sourceId ? { ...x, running: false } : x)),
        };
      }),
    );
    return () => {
      offProgress();
      offFinished();
    };
  },
}));

/** File → base64 without a data-URL round trip through the network. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function formatValue(v: string | number | boolean | null): string {
  if (v === null || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  return String(v);
}
