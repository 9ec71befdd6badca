// The cluster right now, from one snapshot (GET /nodes, /services, /tasks): nodes with state, role
// and leader, running tasks per service per node, and the services the planner would move.
import type { RawSnapshot } from '../adapters/docker.js';
import { planTargets } from '../rebalance/index.js';
import { esc } from './html.js';

export interface NodeNow {
  id: string;
  name: string;
  state: string;
  availability: string;
  role: string;
  leader: boolean;
}

export interface ServiceNow {
  name: string;
  /** Running tasks per node name. */
  perNode: Record<string, number>;
  /** The planner's moves to even it out (0: balanced or left alone). */
  moves: number;
  skipped: string | null;
}

export interface ClusterNow {
  nodes: NodeNow[];
  services: ServiceNow[];
}

export function clusterNow(snapshot: RawSnapshot): ClusterNow {
  // The adapter validated the fields read; `?.` stays for snapshots read from files by tests.
  const nodes: NodeNow[] = snapshot.nodes.map((n) => ({
    id: n?.ID ?? '',
    name: n?.Description?.Hostname ?? n?.ID ?? '?',
    state: n?.Status?.State ?? 'unknown',
    availability: n?.Spec?.Availability ?? 'active',
    role: n?.Spec?.Role ?? 'worker',
    leader: Boolean(n?.ManagerStatus?.Leader),
  }));
  nodes.sort((a, b) => (a.name < b.name ? -1 : 1));
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  const plan = safePlan(snapshot);
  const planned = new Map((plan?.services ?? []).map((p) => [p.serviceId, p]));
  // One pass over the tasks, not one per service: 50,000 tasks × 5,000 services is a page render.
  const running = new Map<string, Record<string, number>>();
  for (const t of snapshot.tasks) {
    if (!t?.ServiceID || t.DesiredState !== 'running' || t.Status?.State !== 'running') continue;
    const perNode = running.get(t.ServiceID) ?? {};
    const node = (t.NodeID && nameOf.get(t.NodeID)) || (t.NodeID ?? '?');
    perNode[node] = (perNode[node] ?? 0) + 1;
    running.set(t.ServiceID, perNode);
  }
  const services: ServiceNow[] = snapshot.services.map((s) => {
    const p = planned.get(s?.ID);
    return { name: s?.Spec?.Name ?? s?.ID, perNode: running.get(s?.ID) ?? {}, moves: p ? p.moves.reduce((n, m) => n + m.count, 0) : 0, skipped: p?.skipped ?? null };
  });
  services.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { nodes, services };
}

function safePlan(snapshot: RawSnapshot) {
  try {
    return planTargets(snapshot);
  } catch {
    return undefined; // an odd snapshot still shows its nodes and tasks
  }
}

export function clusterHtml(c: ClusterNow | undefined, node: string): string {
  if (!c) return `<p class="empty">${esc(node)} is a worker: only managers can read the cluster. The acting agent (on the Raft leader) shows it.</p>`;
  const rows = c.nodes
    .map((n) => `<tr class="${n.state === 'ready' ? '' : 'bad'}"><th scope="row">${esc(n.name)}</th><td><span class="state st-${esc(n.state)}">${esc(n.state)}</span></td><td>${esc(n.availability)}</td><td>${esc(n.role)}${n.leader ? ' <strong>(leader)</strong>' : ''}</td></tr>`)
    .join('\n');
  const heads = c.nodes.map((n) => `<th scope="col">${esc(n.name)}</th>`).join('');
  const svc = c.services
    .map((s) => {
      const cells = c.nodes.map((n) => `<td class="num">${s.perNode[n.name] ?? 0}</td>`).join('');
      const status = s.moves > 0 ? `<span class="off">off balance: ${s.moves} to move</span>` : esc(s.skipped ?? 'balanced');
      return `<tr class="${s.moves > 0 ? 'bad' : ''}" data-service="${esc(s.name)}"><th scope="row">${esc(s.name)}</th>${cells}<td>${status}</td></tr>`;
    })
    .join('\n');
  const off = c.services.filter((s) => s.moves > 0).length;
  return `<div class="two">
<table class="nodes" aria-label="nodes"><thead><tr><th scope="col">node</th><th scope="col">state</th><th scope="col">availability</th><th scope="col">role</th></tr></thead><tbody>
${rows}
</tbody></table>
<table class="services" aria-label="running tasks per service per node"><thead><tr><th scope="col">service</th>${heads}<th scope="col">${off ? `${off} off balance` : 'balance'}</th></tr></thead><tbody>
${svc || `<tr><td colspan="${c.nodes.length + 2}">no services</td></tr>`}
</tbody></table>
</div>`;
}
