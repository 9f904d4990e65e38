/**
 * Hash routing: a handful of screens do not need a router package, and hash URLs survive reloads
 * under both file:// (Electron) and the browser host without server rewrites.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'customers' }
  | { name: 'customer'; id: string }
  | { name: 'staff' }
  | { name: 'unknown'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/customers';
  if (path === '/' || path === '/customers') return { name: 'customers' };
  const customer = /^\/customers\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(path);
  if (customer?.[1]) return { name: 'customer', id: customer[1] };
  if (path === '/staff') return { name: 'staff' };
  return { name: 'unknown', path };
}

export const paths = {
  customers: '#/customers',
  customer: (id: string) => `#/customers/${id}`,
  staff: '#/staff',
} as const;

export function navigate(hash: string) {
  if (window.location.hash !== hash) window.location.hash = hash;
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
