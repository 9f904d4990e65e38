import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SOCAT = '/usr/bin/socat';
export const hasSocat = existsSync(SOCAT);

export interface PtyPair {
  /** Stable link names (survive a socat restart, i.e. a replug). */
  appLink: string;
  simLink: string;
  /** The /dev/pts paths socat reported for this run. */
  pts: [string, string];
  proc: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and parses the two /dev/pts paths from stderr. */
export function startSocat(dir: string): Promise<PtyPair> {
  const appLink = join(dir, 'modem-app');
  const simLink = join(dir, 'modem-sim');
  const proc = spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${appLink}`, `pty,raw,echo=0,link=${simLink}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const pts: string[] = [];
    const onData = (c: Buffer) => {
      err += c.toString();
      for (const m of err.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) if (!pts.includes(m[1] as string)) pts.push(m[1] as string);
      if (pts.length === 2 && /starting data transfer loop/.test(err)) {
        proc.stderr?.off('data', onData);
        proc.stderr?.resume();
        resolve({
          appLink,
          simLink,
          pts: [pts[0] as string, pts[1] as string],
          proc,
          kill: (signal = 'SIGTERM') =>
            new Promise<void>((r) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return r();
              proc.once('exit', () => r());
              proc.kill(signal);
            }),
        });
      }
    };
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`socat exited (${code}): ${err}`)));
  });
}
