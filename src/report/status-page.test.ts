import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../rebalance/snapshot-builder.js';
import { clusterNow } from './cluster-now.js';
import { CodeHours, HOUR } from './code-hours.js';
import { atSecond, partitionIncident, T0 } from './incident.fixture.js';
import { statusPage, type StatusInput } from './status-page.js';

function input(over: Partial<StatusInput> = {}): StatusInput {
  const codes = new CodeHours();
  codes.add('API-REDIS-001', atSecond(21), 6);
  codes.add('WDG-DETECT-001', atSecond(1));
  codes.add('API-HTTP-200', T0 - 5 * HOUR, 40);
  return { node: 'node1', acting: true, now: atSecond(100), incidents: [partitionIncident()], grid: codes.grid(atSecond(100)), notes: [], days: 7, refreshSeconds: 5, ...over };
}

const snapshot = buildSnapshot(
  [{ hostname: 'node1', role: 'manager' }, { hostname: 'node2' }, { hostname: 'node3', state: 'down' }],
  [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }, { name: 'api', replicas: 2, running: { node1: 1, node2: 1 } }],
);

describe('cluster now', () => {
  it('nodes with state and role, tasks per service per node, and which services the planner would move', () => {
    const c = clusterNow({ ...snapshot, nodes: snapshot.nodes.map((n, i) => (i === 0 ? { ...n, ManagerStatus: { Leader: true } } : n)) });
    expect(c.nodes.map((n) => [n.name, n.state, n.role, n.leader])).toEqual([['node1', 'ready', 'manager', true], ['node2', 'ready', 'worker', false], ['node3', 'down', 'worker', false]]);
    expect(c.services.find((s) => s.name === 'web')!.perNode).toEqual({ node1: 3, node2: 3 });
    // node3 is Down: nothing can move to it, so nothing is off balance yet
    expect(c.services.every((s) => s.moves === 0)).toBe(true);
    const healed = clusterNow({ ...snapshot, nodes: snapshot.nodes.map((n) => ({ ...n, Status: { State: 'ready' } })) });
    expect(healed.services.find((s) => s.name === 'web')!.moves).toBe(2);
  });

  it('reads a snapshot with missing fields without failing', () => {
    expect(clusterNow({ nodes: [{}], services: [{ ID: 'x' }], tasks: [null] } as unknown as Parameters<typeof clusterNow>[0]).nodes[0]!.state).toBe('unknown');
  });
});

describe('status page', () => {
  it('shows the cluster, the incidents, the selected timeline and the grid with the incident hour marked', () => {
    const html = statusPage(input({ cluster: clusterNow(snapshot) }));
    expect(html).toMatch(/<h2>Cluster now<\/h2>[\s\S]*node3[\s\S]*st-down/);
    expect(html).toContain('href="?incident=inc-1"');
    expect(html).toContain('data-incident="inc-1"');
    const hourOfIncident = Math.floor(atSecond(0) / HOUR) * HOUR;
    expect(html).toMatch(new RegExp(`<tr data-code="API-REDIS-001">.*<td class="s\\d inc" data-hour="${hourOfIncident}"[^>]*>6</td>`));
    expect(html).toMatch(new RegExp(`<tr data-code="API-HTTP-200">.*<td class="s\\d" data-hour="${hourOfIncident - 5 * HOUR}"[^>]*>40</td>`));
    expect(html).toContain('data-refresh="5"');
  });

  it('loads nothing from elsewhere: no external script, style, image or font', () => {
    const html = statusPage(input({ cluster: clusterNow(snapshot) }));
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('<link rel="icon" href="data:,">'); // no /favicon.ico request
  });

  it('picks the incident asked for, the newest otherwise, and says when there is none', () => {
    const older = partitionIncident({ id: 'inc-0', start: atSecond(-3600), end: atSecond(-3500), summary: 'an older one' });
    expect(statusPage(input({ incidents: [older, partitionIncident()] }))).toContain('data-incident="inc-1"');
    expect(statusPage(input({ incidents: [older, partitionIncident()], selected: 'inc-0' }))).toContain('data-incident="inc-0"');
    expect(statusPage(input({ incidents: [] }))).toContain('No incident to show.');
  });

  it('a worker says where the cluster is seen; names from the cluster are escaped', () => {
    const html = statusPage(input({ node: 'node<2>', acting: false }));
    expect(html).toContain('node&lt;2&gt; is a worker');
    expect(html).not.toContain('node<2>');
  });
});
