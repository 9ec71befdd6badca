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

function describeStep(step: Step, replicas: number, name: (id: string) => string): string {
  const after = Object.entries(byHostname(step.after, name)).map(([h, n]) => `${h} ${n}`).join(', ');
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
  const lines = [`  ${'node'.padEnd(w)}  ${'before'.padStart(wb)} → after`];
  for (const [host, b, a] of rows) lines.push(`  ${host.padEnd(w)}  ${b.padStart(wb)} → ${a}${a === b ? '' : ' *'}`);
  return lines;
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
    out.push(`  moves: ${movesByHostname(s, name).map((m) => `${m.from} → ${m.to} ×${m.count}`).join(', ')}`);
    s.steps.forEach((step, i) => out.push(`  step ${i + 1}: ${describeStep(step, s.replicas, name)}`));
    out.push('');
  }
  if (moved.length === 0) out.push('Nothing to move.', '');
  if (left.length > 0) {
    const w = Math.max(...left.map((s) => s.serviceName.length));
    out.push('Left alone:');
    for (const s of left) out.push(`  ${s.serviceName.padEnd(w)}  ${s.skipped}`);
  }
  if (plan.notFound.length > 0) out.push(`No such service: ${plan.notFound.join(', ')}`);
  for (const w of plan.warnings) out.push(`warning: ${w}`);
  return out.join('\n').trimEnd() + '\n';
}
