/** The console's per-server service tree: each server's reachability and the services it reported. */
import type { TargetRow } from './engine';
import type { AlarmState, AlarmView, Severity } from './types';

export interface TargetNode {
  target: string;
  name: string;
  kind: string;
  severity: Severity;
  health: 'ok' | 'pending' | 'firing';
  flapping: boolean;
  lastCheckAt: string | null;
  lastDetail: string | null;
  alarm: { id: string; state: AlarmState } | null;
}

export interface ServerNode {
  /** null for the workstation's own checks and the watchdogs. */
  server: string | null;
  /** The server's reachability target (agent answers), if it is an agent. */
  agent: TargetNode | null;
  services: TargetNode[];
}

export function buildServerTree(targets: TargetRow[], open: AlarmView[]): ServerNode[] {
  const alarms = new Map(open.map((a) => [a.fingerprint, a]));
  const servers = new Map<string | null, ServerNode>();
  for (const t of targets) {
    const alarm = alarms.get(t.target);
    const node: TargetNode = {
      target: t.target,
      name: t.name,
      kind: t.kind,
      severity: t.severity,
      health: t.health,
      flapping: t.flapping === 1,
      lastCheckAt: t.last_check_at,
      lastDetail: t.last_detail,
      alarm: alarm ? { id: alarm.id, state: alarm.state } : null,
    };
    let server = servers.get(t.server);
    if (!server) {
      server = { server: t.server, agent: null, services: [] };
      servers.set(t.server, server);
    }
    if (t.kind === 'agent') server.agent = node;
    else server.services.push(node);
  }
  return [...servers.values()].sort((a, b) => (a.server ?? '').localeCompare(b.server ?? ''));
}
