/**
 * Who is signed in. The session token lives in localStorage so a reload (or a reconnect) resumes the
 * session instead of asking for the password again; the host decides whether it is still valid.
 */
import { create } from 'zustand';
import type { ApiErrorBody, RequestOutput, Role, Session } from '../../preload/contract';
import { ApiError, call, onApiError } from '../api';

const SESSION_KEY = 'dealercs.session';

export type AppInfo = RequestOutput<'app.info'>;

interface SessionState {
  status: 'starting' | 'signedOut' | 'signedIn';
  session: Session | null;
  info: AppInfo | null;
  /** Why the last start or sign-out happened, shown once on the sign-in page. */
  notice: ApiErrorBody | 'expired' | null;
  start(): Promise<void>;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

export const useSession = create<SessionState>((set, get) => ({
  status: 'starting',
  session: null,
  info: null,
  notice: null,

  async start() {
    set({ status: 'starting', notice: null });
    try {
      const info = await call('app.info', {});
      set({ info });
    } catch (error) {
      set({ status: 'signedOut', notice: error instanceof ApiError ? error.body : null });
      return;
    }
    const token = localStorage.getItem(SESSION_KEY);
    if (!token) {
      set({ status: 'signedOut' });
      return;
    }
    try {
      const session = await call('auth.resume', { token });
      set({ status: 'signedIn', session });
    } catch {
      localStorage.removeItem(SESSION_KEY);
      set({ status: 'signedOut', session: null });
    }
  },

  async login(username, password) {
    const session = await call('auth.login', { username, password });
    localStorage.setItem(SESSION_KEY, session.token);
    set({ status: 'signedIn', session, notice: null });
    if (!get().info) {
      const info = await call('app.info', {}).catch(() => null);
      set({ info });
    }
  },

  async logout() {
    await call('auth.logout', {}).catch(() => undefined);
    localStorage.removeItem(SESSION_KEY);
    set({ status: 'signedOut', session: null, notice: null });
  },
}));

export function useRole(): Role | null {
  return useSession((s) => s.session?.staff.role ?? null);
}

// A call rejected as UNAUTHENTICATED means the host ended the session (expiry, deactivation, restart).
onApiError((error) => {
  if (error.code !== 'UNAUTHENTICATED' || useSession.getState().status !== 'signedIn') return;
  localStorage.removeItem(SESSION_KEY);
  useSession.setState({ status: 'signedOut', session: null, notice: 'expired' });
});
