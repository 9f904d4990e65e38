import { randomBytes } from 'node:crypto';

export interface SessionRecord {
  staffId: string;
  expiresAt: number;
}

/**
 * Sign-in sessions, held in the host process: a reload or a reconnecting socket resumes with its token,
 * a host restart asks for the password again. Tokens slide: each use extends them by the idle limit.
 */
export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  open(staffId: string): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { staffId, expiresAt: this.now() + this.idleMs });
    return token;
  }

  touch(token: string): SessionRecord | null {
    const record = this.sessions.get(token);
    if (!record) return null;
    if (record.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return null;
    }
    record.expiresAt = this.now() + this.idleMs;
    return record;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }

  /** Ends every session of a staff member, e.g. when an admin deactivates the account. */
  closeAllFor(staffId: string): void {
    for (const [token, record] of this.sessions) if (record.staffId === staffId) this.sessions.delete(token);
  }
}

/** Locks a username for a while after repeated wrong passwords, to slow down guessing at a shared seat. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  isLocked(username: string): boolean {
    return this.recent(username).length >= this.maxFailures;
  }

  fail(username: string): void {
    this.failures.set(username.toLowerCase(), [...this.recent(username), this.now()]);
  }

  succeed(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(username: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(username.toLowerCase()) ?? []).filter((t) => t > since);
  }
}
