/**
 * Shared by the alarm specs: a TCP service a health agent watches and the spec stops and restarts,
 * removing a spec's agent from the shared host, and what a page played or notified.
 */
import { expect, type Page } from '@playwright/test';
import net from 'node:net';

export interface TcpService {
  port: number;
  stop(): Promise<void>;
}

/** A TCP service on 127.0.0.1 that accepts and closes connections; `port` 0 picks a free one. */
export async function tcpService(port = 0): Promise<TcpService> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Signed in as admin: removes the named agent from the registry if it is still there. */
export async function removeAgent(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('alarms-tab-agents').click();
  const row = page.locator(`[data-testid="agent-row"][data-name="${name}"]`);
  await expect(page.getByTestId('agent-add')).toBeVisible();
  if ((await row.count()) === 0) return;
  await row.getByTestId('agent-remove').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(row).toHaveCount(0);
}

export function audioPlaying(page: Page): Promise<boolean> {
  return page.getByTestId('alarm-audio').evaluate((el) => el instanceof HTMLAudioElement && !el.paused);
}

/**
 * Records the page's browser notifications (title and body) in window.__alarmNotifications, then lets
 * Chromium show them as usual; the page is granted the permission a seat grants on its first click.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const seen: Array<{ title: string; body: string }> = [];
    Object.assign(window, { __alarmNotifications: seen });
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        seen.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    window.Notification = Recorded;
  });
}

export function notifications(page: Page): Promise<Array<{ title: string; body: string }>> {
  return page.evaluate(() => {
    const seen: unknown = Reflect.get(window, '__alarmNotifications');
    return Array.isArray(seen) ? seen.map((n: { title: string; body: string }) => ({ title: n.title, body: n.body })) : [];
  });
}
