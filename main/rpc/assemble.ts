import { REQUEST_NAMES, type RequestName } from '../../preload/contract';
import type { HandlerMap, Handlers } from './types';

/**
 * Merges the capabilities' handler maps into one, failing at start-up (and in the unit test) when a
 * channel of the contract has no handler or two capabilities claim the same one.
 */
export function assembleHandlers(...maps: HandlerMap[]): Handlers {
  const merged: HandlerMap = {};
  for (const map of maps) {
    for (const name of Object.keys(map) as RequestName[]) {
      if (merged[name]) throw new Error(`Two capabilities handle ${name}`);
      Object.assign(merged, { [name]: map[name] });
    }
  }
  const missing = REQUEST_NAMES.filter((name) => !merged[name]);
  if (missing.length > 0) throw new Error(`No handler for: ${missing.join(', ')}`);
  return merged as Handlers;
}
