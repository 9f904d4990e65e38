import type { ReactNode } from 'react';

/** The forms a query may match in: as typed, without phone separators, and upper-cased for plates/VINs. */
export function needles(query: string): string[] {
  const q = query.trim();
  if (!q) return [];
  const bare = q.replace(/[\s\-()]/g, '').replace(/^\+?86(?=1\d)/, '');
  return [...new Set([q, bare].filter((n) => n.length > 0))];
}

/** Splits `text` around the first case-insensitive match of any needle. */
export function splitMatch(text: string, candidates: readonly string[]): [string, string, string] | null {
  const lower = text.toLowerCase();
  for (const needle of candidates) {
    const at = lower.indexOf(needle.toLowerCase());
    if (at >= 0) return [text.slice(0, at), text.slice(at, at + needle.length), text.slice(at + needle.length)];
  }
  return null;
}

export function Highlight({ text, query }: { text: string; query: string }): ReactNode {
  const parts = splitMatch(text, needles(query));
  if (!parts) return text;
  return (
    <>
      {parts[0]}
      <mark className="hit">{parts[1]}</mark>
      {parts[2]}
    </>
  );
}
