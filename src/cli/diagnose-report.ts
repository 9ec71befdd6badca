// What `watchdog diagnose` prints: what was read in each input, the timeline per node, the verdict.
import type { Observation } from '../correlate/types.js';
import { DataError } from '../errors.js';
import type { Replayed, Timed } from '../pipeline/replay.js';
import { timeOf } from '../pipeline/replay.js';
import { print } from './output.js';

export const KNOWN_FORMATS =
  'journalctl -o short, short-precise, short-iso, short-iso-precise, short-full, short-unix, with-unit, cat, json, json-pretty, export; ' +
  "syslog files (RFC 3164, RFC 5424); dockerd's own log (logrus text, --log-format json, terminal form); gzip of any of these";

type InputRead = Replayed['inputs'][number];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * No verdict from an input without one daemon line: say so, naming the file and what it held. An
 * export of the applications' container lines beside daemon logs is fine: it gives the log codes.
 */
export function checkInputs(inputs: InputRead[]): void {
  const daemonSomewhere = inputs.some((s) => s.daemon > 0);
  for (const s of inputs) {
    if (s.daemon > 0 || (daemonSomewhere && s.container > 0)) continue;
    const what = s.lines === 0 ? 'is empty' : `has ${s.lines} line(s) but not one of the Docker daemon's in a known form (${s.unit} systemd unit, ${s.container} container, ${s.other} other programs', ${s.unreadable} unreadable)`;
    const first = s.unreadableSamples[0] !== undefined ? `; first unreadable line: ${JSON.stringify(s.unreadableSamples[0])}` : '';
    throw new DataError(`--input ${s.input}: ${what}${first}. Known forms: ${KNOWN_FORMATS}`, 'WDG-INPUT-001');
  }
}

function timesFrom(s: InputRead): string {
  const parts: string[] = [];
  if (s.timeFrom.line) parts.push(`${s.timeFrom.line} from the line's time=`);
  if (s.timeFrom.prefix) parts.push(`${s.timeFrom.prefix} from the dated prefix`);
  if (s.timeFrom.assumed) parts.push(`${s.timeFrom.assumed} without a year or zone, read as year ${s.year} and zone ${s.zone} (--year, --tz)`);
  return parts.length ? `; times: ${parts.join(', ')}` : '';
}

export function printInputs(inputs: InputRead[]): void {
  for (const s of inputs) {
    const formats = Object.entries(s.formats).sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ');
    print(`${s.input}: ${s.lines} lines (${formats}); nodes ${s.nodes.join(', ') || '-'}: ${s.daemon} daemon, ${s.unit} systemd unit, ${s.boots} boot, ${s.container} container, ${s.other} other programs', ${s.unreadable} unreadable${timesFrom(s)}`);
    for (const line of s.unreadableSamples) print(`  unreadable: ${line}`);
  }
}

/** "No incident" only with daemon lines read: how many, over what span. */
export function noIncident(inputs: InputRead[]): string {
  const daemon = inputs.reduce((n, s) => n + s.daemon, 0);
  const first = Math.min(...inputs.map((s) => s.firstTime ?? Infinity));
  const last = Math.max(...inputs.map((s) => s.lastTime ?? -Infinity));
  const span = Number.isFinite(first) ? ` from ${iso(first)} to ${iso(last)} (${Math.round((last - first) / 1000)} s)` : '';
  return `No incident: ${daemon} daemon lines of ${[...new Set(inputs.flatMap((s) => s.nodes))].join(', ')}${span}; nothing in them needs attention.`;
}

export function printTimeline(timed: Timed[]): void {
  const byNode = new Map<string, string[]>();
  for (const { obs } of timed) {
    if (obs.type === 'node-name') continue;
    const node = obs.type === 'signal' ? obs.signal.node : 'node' in obs ? obs.node : 'cluster';
    const time = new Date(timeOf(obs)).toISOString().slice(11, 23);
    const what = obs.type === 'signal' ? `${obs.signal.rule}${obs.signal.errorClass ? ` (${obs.signal.errorClass})` : ''}: ${obs.signal.message}` : describe(obs);
    const lines = byNode.get(node) ?? [];
    lines.push(`  ${time}  ${what.slice(0, 160)}`);
    byNode.set(node, lines);
  }
  for (const [node, lines] of [...byNode].sort(([a], [b]) => a.localeCompare(b))) {
    print(`${node}:`);
    for (const l of lines) print(l);
  }
}

function describe(obs: Observation): string {
  switch (obs.type) {
    case 'node-state': return `node ${obs.from} → ${obs.to}`;
    case 'leader-change': return `leader ${obs.from ?? '?'} → ${obs.to}`;
    case 'task-move': return `task of ${obs.service} moved ${obs.from} → ${obs.to}`;
    case 'app-code': return `${obs.service} task ${obs.taskId.slice(0, 12)}: ${obs.code}`;
    case 'boot': return `new boot ${obs.bootId}`;
    default: return obs.type;
  }
}
