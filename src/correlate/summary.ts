// One sentence an operator can read in a Slack message: what happened, when, what it cost. Built only
// from the incident's data; a part whose data is missing is left out. Times are HH:MM:SS UTC.
import type { Incident, ReconnectBurst } from './types.js';

/** Backends by the feature part of a code (API-REDIS-001 → Redis). */
const BACKENDS: Record<string, string> = {
  REDIS: 'Redis',
  ELASTIC: 'Elasticsearch',
  ES: 'Elasticsearch',
  PG: 'PostgreSQL',
  POSTGRES: 'PostgreSQL',
  MYSQL: 'MySQL',
  MONGO: 'MongoDB',
  RABBIT: 'RabbitMQ',
  AMQP: 'RabbitMQ',
  KAFKA: 'Kafka',
  NATS: 'NATS',
};

export function hhmmss(time: number): string {
  return new Date(time).toISOString().slice(11, 19);
}

export function summarize(i: Incident): string {
  const parts = [head(i), moves(i), reconnects(i)].filter((p) => p !== '');
  if (i.kind === 'mass-reconnect-only') parts.push('no node was in trouble (a backend restart or a network blip?)');
  if (i.storm) parts.push('storm: too many nodes unhealthy at once, rebalancing holds');
  const text = parts.join('; ') + (i.end === null ? ' (ongoing)' : '');
  // node names keep their case; only our own words get a capital
  return text.startsWith('the ') ? `T${text.slice(1)}` : text;
}

function head(i: Incident): string {
  const who = names(i.nodes);
  // the subject is `who` (one node or several); the daemon and election sentences name one node
  const be = i.nodes.length > 1 ? 'were' : 'was';
  const markedDown = (verb: string) => (i.markedDownAt === undefined ? '' : `${verb} marked Down at ${hhmmss(i.markedDownAt)}`);
  const down = markedDown('was');
  const back = i.recoveredAt === undefined ? '' : `${be} back at ${hhmmss(i.recoveredAt)}`;
  switch (i.kind) {
    case 'partition': {
      const lost =
        i.sessionLostAt === undefined
          ? ''
          : `lost ${i.nodes.length > 1 ? 'their manager sessions' : 'its manager session'} at ${hhmmss(i.sessionLostAt)}${i.errorClass ? ` (${i.errorClass})` : ''}`;
      const said = [lost, markedDown(be), back].filter((p) => p !== '');
      return said.length === 0 ? `${who} lost contact with the managers at ${hhmmss(i.start)}` : `${who} ${list(said)}`;
    }
    case 'flapping':
      return `${who} lost ${i.nodes.length > 1 ? 'their manager sessions' : 'its manager session'} ${i.flaps ?? 'several'} times within the flap window (last at ${hhmmss(i.lastActivityAt)}) and was never marked Down`;
    case 'daemon-restart': {
      const stopped = i.daemonStoppedAt === undefined ? '' : `stopped at ${hhmmss(i.daemonStoppedAt)}`;
      const started = i.daemonStartedAt === undefined ? '' : `started${stopped ? ' again' : ''} at ${hhmmss(i.daemonStartedAt)}`;
      const said = [stopped, started].filter((p) => p !== '');
      const daemons = i.daemonNodes?.length ? i.daemonNodes : i.nodes;
      const others = i.nodes.filter((n) => !daemons.includes(n));
      const lost = others.length ? `; ${names(others)} lost ${others.length > 1 ? 'their manager sessions' : 'its manager session'} meanwhile` : '';
      return `the Docker daemon on ${names(daemons)} ${said.length ? list(said) : `restarted at ${hhmmss(i.start)}`}${down ? `, and the node ${down}` : ''}${lost}`;
    }
    case 'host-reboot':
      return `${who} rebooted (new boot seen at ${hhmmss(i.rebootedAt ?? i.start)})${down ? ` and ${markedDown(be)}` : ''}`;
    case 'leader-election': {
      const leader = i.leader
        ? i.leader.from
          ? `the leader moved from ${i.leader.from} to ${i.leader.to}`
          : `${i.leader.to} became leader`
        : 'no new leader seen yet';
      const downPart = down ? ` (first node ${down})` : '';
      return `the Raft managers held a leader election at ${hhmmss(i.start)}: ${leader}; ${i.nodes.length} node${i.nodes.length === 1 ? '' : 's'} affected${i.nodes.length ? ` (${who})` : ''}${downPart}`;
    }
    case 'mass-reconnect-only':
      return '';
  }
}

function moves(i: Incident): string {
  if (i.tasksMoved.length === 0) return '';
  const count = i.tasksMoved.reduce((n, m) => n + m.count, 0);
  const services = [...new Set(i.tasksMoved.map((m) => m.service))];
  const to = [...new Set(i.tasksMoved.map((m) => m.to))];
  const of = services.length === 1 ? services[0] : `${services.length} services`;
  return `${count} task${count === 1 ? '' : 's'} of ${of} moved to ${to.join('/')}`;
}

function reconnects(i: Incident): string {
  if (i.reconnects.length === 0) return '';
  const byCode = new Map<string, Omit<ReconnectBurst, 'service'>>();
  for (const r of i.reconnects) {
    const b = byCode.get(r.code);
    if (!b) byCode.set(r.code, { code: r.code, tasks: r.tasks, start: r.start, end: r.end });
    else {
      b.tasks += r.tasks;
      b.start = Math.min(b.start, r.start);
      b.end = Math.max(b.end, r.end);
    }
  }
  const said = [...byCode.values()].map(
    (b, n) => `${b.tasks}${n === 0 ? ` task${b.tasks === 1 ? '' : 's'}` : ''} ${n === 0 ? 'reconnected ' : ''}to ${backend(b.code)} (${b.code}) within ${Math.max(1, Math.round((b.end - b.start) / 1000))} s`,
  );
  return list(said);
}

/** The backend a reconnect code is about, from its middle part. */
export function backend(code: string): string {
  const parts = code.split('-');
  const feature = parts.length >= 3 ? parts.slice(1, -1).join('-') : code;
  return BACKENDS[feature] ?? feature.charAt(0) + feature.slice(1).toLowerCase();
}

function names(nodes: string[]): string {
  if (nodes.length === 0) return 'the swarm';
  if (nodes.length > 4) return `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`;
  return list(nodes);
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
