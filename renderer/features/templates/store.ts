/** The template list's chosen kind, kept while the supervisor moves between the list and the editor. */
import { create } from 'zustand';
import type { TEMPLATE_KINDS } from '../../../preload/channels/templates';

export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

interface TemplatesUiState {
  kind: TemplateKind;
  setKind(kind: TemplateKind): void;
}

export const useTemplatesUi = create<TemplatesUiState>((set) => ({
  kind: 'sms',
  setKind: (kind) => set({ kind }),
}));
