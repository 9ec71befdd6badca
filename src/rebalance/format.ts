// A plan for people (a table per service) and for machines (JSON keyed by hostname).
import type { Placement, Plan, ServicePlan, Step } from './types.js';

export interface PlanJson {
  dryRun: boolean;
  services: {
    service: string;
    before: Record<string, number>;
    after: Record<string, number>;
    moves: { from: string; to: string; count: number }[];
    skipped: string | null;
  }[];
}

const nameOf = (plan: Plan) => (id: string) => plan.hostnames[id] ?? id;

function byHostname(p: Placement, name: (id: string) => string): Record<string, number> {
  const entries = Object.entries(p).map(([id, n]) => [name(id), n] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

function movesByHostname(s: ServicePlan, name: (id: string) => string) {
  const moves = s.moves.map((m) => ({ from: name(m.from), to: name(m.to), count: m.count }));
  const key = (m: { from: string; to: string }) => `${m.from}\u0000${m.to}`;
  return moves.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The plan as JSON-ready data: hostnames instead of node IDs, nodes in hostname order. */
export function planToJson(plan: Plan, dryRun = true): PlanJson {
  const name = nameOf(plan);
  return {
    dryRun,
    services: plan.services.map((s) => ({
      service: s.serviceName,
      before: byHostname(s.before, name),
      after: byHostname(s.after, name),
      moves: movesByHostname(s, name),
      skipped: s.skipped,
    })),
  };
}

// Up to this many nodes or services a plan lists every one; past it, only what changes (a dry run on
// a 1,000-node cluster must stay readable), with a count of the rest.
const LIST_ALL_MAX = 12;

function describeStep(step: Step, before: Placement, replicas: number, name: (id: string) => string): string {
  const entries = Object.entries(byHostname(step.after, name));
  const ids = Object.keys(step.after);
  const all = ids.length <= LIST_ALL_MAX;
  const changed = new Set(ids.filter((id) => (before[id] ?? 0) !== step.after[id]).map(name));
  const shown = all ? entries : entries.filter(([h]) => changed.has(h));
  const rest = entries.length - shown.length;
  const listed = shown.length <= LIST_ALL_MAX ? shown : shown.slice(0, LIST_ALL_MAX);
  const more = shown.length - listed.length;
  const after =
    listed.map(([h, n]) => `${h} ${n}`).join(', ') +
    (more ? `, … ${more} more changed` : '') +
    (rest ? ` (${rest} other nodes as before)` : '');
  const doubt = step.sure ? '' : ' (Swarm may break a tie otherwise: check and re-plan)';
  return `scale to ${step.replicas}, then back to ${replicas} → ${after}${doubt}`;
}

function table(s: ServicePlan, name: (id: string) => string): string[] {
  const ids = [...new Set([...Object.keys(s.before), ...Object.keys(s.after)])];
  const rows = ids
    .map((id) => [name(id), String(s.before[id] ?? 0), String(s.after[id] ?? 0)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const w = Math.max(4, ...rows.map((r) => r[0].length));
  const wb = Math.max(6, ...rows.map((r) => r[1].length));
  const shown = rows.length <= LIST_ALL_MAX ? rows : rows.filter(([, b, a]) => a !== b);
  const lines = [`  ${'node'.padEnd(w)}  ${'before'.padStart(wb)} → after`];
  if (shown.length <= LIST_ALL_MAX) {
    for (const [host, b, a] of shown) lines.push(`  ${host.padEnd(w)}  ${b.padStart(wb)} → ${a}${a === b ? '' : ' *'}`);
  } else {
    // Hundreds of changed nodes: one line per kind of change, with the first and last node.
    const groups = new Map<string, string[]>();
    for (const [host, b, a] of shown) {
      const hosts = groups.get(`${b}\u0000${a}`) ?? [];
      hosts.push(host);
      groups.set(`${b}\u0000${a}`, hosts);
    }
    for (const [key, hosts] of groups) {
      const [b, a] = key.split('\u0000') as [string, string];
      const span = hosts.length === 1 ? hosts[0] : `${hosts[0]} … ${hosts.at(-1)}`;
      lines.push(`  ${`${hosts.length} nodes`.padEnd(w)}  ${b.padStart(wb)} → ${a} *  (${span})`);
    }
  }
  if (shown.length < rows.length) lines.push(`  (${rows.length - shown.length} other nodes unchanged)`);
  return lines;
}

/** The services left alone with their reason; past LIST_ALL_MAX, one line per reason with a few names. */
function leftAlone(left: ServicePlan[]): string[] {
  if (left.length <= LIST_ALL_MAX) {
    const w = Math.max(...left.map((s) => s.serviceName.length));
    return left.map((s) => `  ${s.serviceName.padEnd(w)}  ${s.skipped}`);
  }
  const byReason = new Map<string, string[]>();
  for (const s of left) {
    const names = byReason.get(s.skipped!) ?? [];
    names.push(s.serviceName);
    byReason.set(s.skipped!, names);
  }
  return [...byReason].map(([reason, names]) => {
    const some = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    return `  ${names.length} service${names.length === 1 ? '' : 's'} (${some}): ${reason}`;
  });
}

/** A human summary: per moved service its table, moves and steps; then the services left alone. */
export function formatPlan(plan: Plan): string {
  const name = nameOf(plan);
  const out: string[] = [];
  const moved = plan.services.filter((s) => s.skipped === null);
  const left = plan.services.filter((s) => s.skipped !== null);
  for (const s of moved) {
    const count = s.moves.reduce((n, m) => n + m.count, 0);
    out.push(`${s.serviceName} (${s.replicas} replicas): ${count} task${count === 1 ? '' : 's'} to move`);
    out.push(...table(s, name));
    const moves = movesByHostname(s, name);
    const moreMoves = moves.length > LIST_ALL_MAX ? `, … ${moves.length - LIST_ALL_MAX} more (--json lists all)` : '';
    out.push(`  moves: ${moves.slice(0, LIST_ALL_MAX).map((m) => `${m.from} → ${m.to} ×${m.count}`).join(', ')}${moreMoves}`);
    s.steps.slice(0, LIST_ALL_MAX).forEach((step, i) => out.push(`  step ${i + 1}: ${describeStep(step, i === 0 ? s.before : s.steps[i - 1]!.after, s.replicas, name)}`));
    if (s.steps.length > LIST_ALL_MAX) out.push(`  … ${s.steps.length - LIST_ALL_MAX} more steps, one scale-up and back each`);
    out.push('');
  }
  if (moved.length === 0) out.push('Nothing to move.', '');
  if (left.length > 0) out.push('Left alone:', ...leftAlone(left));
  if (plan.notFound.length > 0) out.push(`No such service: ${plan.notFound.join(', ')}`);
  for (const w of plan.warnings) out.push(`warning: ${w}`);
  return out.join('\n').trimEnd() + '\n';
}
