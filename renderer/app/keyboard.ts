/** Keyboard plumbing shared by pages whose single-key shortcuts must not steal what is typed in a field. */

/** Input types whose keys are not text: a digit or arrow pressed on them may still be a page shortcut. */
const NOT_TEXT = new Set(['radio', 'checkbox', 'button', 'submit', 'reset']);

/**
 * Whether a key press belongs to the field it happened in (text inputs, text areas, selects, editable
 * content), so a page shortcut such as "/" or ← must leave it alone. Radios and checkboxes are not
 * typing: the task drawer's 1–9 still picks an outcome while one of its radio buttons has the focus.
 */
export function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TEXT.has(target.type);
}
