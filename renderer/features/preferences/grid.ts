/**
 * The preferences grid as data: which purpose × channel cells are open, off by their own flag, or covered
 * by a wider one (the 全部用途 row, the 所有渠道 column) or the SMS opt-out. Plain functions, tested in Node.
 */
import type { FlagChannel, FlagPurpose, PreferencesDto } from '../../../preload/channels/preferences';

export const PURPOSES: readonly FlagPurpose[] = ['all', 'maintenance', 'insurance', 'marketing', 'survey'];
export const CHANNELS: readonly FlagChannel[] = ['any', 'sms', 'phone', 'letter'];

export type Cell = { state: 'on' } | { state: 'flag'; reason: string } | { state: 'covered'; by: 'purpose' | 'channel' | 'both' | 'optOut' };

/** How one grid cell stands: contact allowed, off by its own flag, or off because a wider flag (or 退订) covers it. */
export function cellOf(data: PreferencesDto, purpose: FlagPurpose, channel: FlagChannel): Cell {
  const own = data.flags.find((f) => f.purpose === purpose && f.channel === channel);
  if (own) return { state: 'flag', reason: own.reason };
  const byPurpose = purpose !== 'all' && data.flags.some((f) => f.purpose === 'all' && (f.channel === channel || f.channel === 'any'));
  const byChannel = channel !== 'any' && data.flags.some((f) => f.channel === 'any' && (f.purpose === purpose || f.purpose === 'all'));
  if (byPurpose || byChannel) return { state: 'covered', by: byPurpose && byChannel ? 'both' : byPurpose ? 'purpose' : 'channel' };
  if (channel === 'sms' && data.smsOptOut.optedOut) return { state: 'covered', by: 'optOut' };
  return { state: 'on' };
}
