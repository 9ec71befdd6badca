// The daily summary: how often each log code appeared in a period, how that compares with the period
// before, and the period's incidents in one line each. Pure; the Slack message, the CLI table and the
// agent's /v1/summary route are built from the same Summary.
import { parseDuration } from '../config/duration.js';
import type { Incident } from '../correlate/types.js';
import type { Route } from '../http/server.js';
import type { SlackMessage } from '../notify/webhook.js';

export interface CodeTotal {
  code: string;
  count: number;
}

/** vs the previous period: the difference, 'new' (not seen then), or null (no previous period known). */
export type Change = number | 'new' | null;

export interface SummaryRow {
  code: string;
  count: number;
  change: Change;
}

export interface SummaryIncident {
  id: string;
  kind: string;
  nodes: string[];
  start: string;
  end: string | null;
  summary: string;
}

/** Also the JSON of `watchdog summary --json` and GET /v1/summary. */
export interface Summary {
  from: string;
  to: string;
  codes: SummaryRow[];
  incidents: SummaryIncident[];
}

export interface SummaryInput {
  today: CodeTotal[];
  yesterday?: CodeTotal[];
  incidents: Incident[];
  from: number;
  to: number;
  /** Incidents from here (default `from`): the live agent counts codes per day but lists incidents for any span. */
  incidentsFrom?: number;
}

const iso = (t: number) => new Date(t).toISOString();

function totals(list: CodeTotal[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const { code, count } of list) if (count > 0) map.set(code, (map.get(code) ?? 0) + count);
  return map;
}

/**
 * One list from several sources that may see the same line (the agent's own counts, and its lines
 * read back from the journal as a container's): the largest count per code.
 */
export function mergeSources(...sources: CodeTotal[][]): CodeTotal[] {
  const merged = new Map<string, number>();
  for (const source of sources) for (const [code, count] of totals(source)) merged.set(code, Math.max(merged.get(code) ?? 0, count));
  return [...merged].map(([code, count]) => ({ code, count }));
}

export function buildSummary({ today, yesterday, incidents, from, to, incidentsFrom = from }: SummaryInput): Summary {
  const now = totals(today);
  const before = yesterday ? totals(yesterday) : undefined;
  const codes = new Set([...now.keys(), ...(before?.keys() ?? [])]);
  const rows: SummaryRow[] = [...codes].map((code) => {
    const count = now.get(code) ?? 0;
    const prev = before?.get(code);
    return { code, count, change: before === undefined ? null : prev === undefined ? 'new' : count - prev };
  });
  rows.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const during = incidents
    .filter((i) => i.start <= to && (i.end === null || i.end >= incidentsFrom))
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
    .map((i) => ({ id: i.id, kind: i.kind, nodes: [...i.nodes], start: iso(i.start), end: i.end === null ? null : iso(i.end), summary: i.summary }));
  return { from: iso(from), to: iso(to), codes: rows, incidents: during };
}

export function formatChange(change: Change): string {
  if (change === null) return '';
  if (change === 'new') return 'new';
  if (change === 0) return '=';
  return change > 0 ? `+${change}` : String(change);
}

const minute = (t: string) => t.slice(0, 16).replace('T', ' ');

export function periodText(s: Summary): string {
  return `${minute(s.from)} → ${minute(s.to)} UTC`;
}

/** The code table in fixed columns; at most `maxRows` rows, then a line saying how many were left out. */
export function codeTable(rows: SummaryRow[], maxRows = Infinity): string[] {
  if (!rows.length) return ['No log codes in this period.'];
  const shown = rows.slice(0, maxRows);
  const width = Math.max(4, ...shown.map((r) => r.code.length));
  const countWidth = Math.max(5, ...shown.map((r) => String(r.count).length));
  const line = (code: string, count: string, change: string) => `${code.padEnd(width)}  ${count.padStart(countWidth)}  ${change.padStart(6)}`.trimEnd();
  const out = [line('CODE', 'COUNT', 'CHANGE'), ...shown.map((r) => line(r.code, String(r.count), formatChange(r.change)))];
  if (rows.length > shown.length) out.push(`… and ${rows.length - shown.length} more codes`);
  return out;
}

const incidentLine = (i: SummaryIncident) => `- [${i.kind}] ${i.summary}`;

/** `watchdog summary` without --json. */
export function summaryText(s: Summary): string {
  const lines = [`Log codes ${periodText(s)}`, '', ...codeTable(s.codes), ''];
  lines.push(s.incidents.length ? `${s.incidents.length} incident(s):` : 'No incidents.');
  lines.push(...s.incidents.map(incidentLine));
  return lines.join('\n');
}

const MAX_SECTION = 2900; // Slack cuts a section's text at 3000 characters
const MAX_TABLE_ROWS = 40;

function fit(lines: string[], max: number, more: (n: number) => string): string {
  const out: string[] = [];
  let size = 0;
  for (const [n, l] of lines.entries()) {
    if (size + l.length + 1 > max - 40) {
      out.push(more(lines.length - n));
      break;
    }
    out.push(l);
    size += l.length + 1;
  }
  return out.join('\n');
}

/** The daily Slack message: Block Kit with a monospace table, and the same as plain text. */
export function summaryMessage(s: Summary): SlackMessage {
  const table = fit(codeTable(s.codes, MAX_TABLE_ROWS), MAX_SECTION, (n) => `… and ${n} more lines`);
  const incidents = s.incidents.length
    ? fit(s.incidents.map(incidentLine), MAX_SECTION, (n) => `… and ${n} more incidents (GET /v1/incidents)`)
    : 'No incidents.';
  const head = `:bar_chart: Swarm daily summary, ${periodText(s)}`;
  const counted = s.codes.reduce((n, r) => n + r.count, 0);
  return {
    text: [head, '```', table, '```', s.incidents.length ? `${s.incidents.length} incident(s):` : '', incidents].filter(Boolean).join('\n'),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Swarm daily summary ${s.to.slice(0, 10)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${periodText(s)} · ${counted} coded log lines · ${s.codes.filter((r) => r.count > 0).length} codes` }] },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`\n${table}\n\`\`\`` } },
      { type: 'section', text: { type: 'mrkdwn', text: s.incidents.length ? `*Incidents*\n${incidents}` : incidents } },
    ],
  };
}

const DAY = 86_400_000;

/**
 * GET /v1/summary?since=24h: the live agent's summary. Codes are counted per period (since the last
 * daily summary); `since` picks the incidents.
 */
export function summaryRoute(report: (sinceMs: number) => Summary): Route {
  return {
    method: 'GET',
    path: '/v1/summary',
    handle: (query) => {
      const since = query.get('since');
      const ms = since ? parseDuration(since) : DAY;
      if (ms === undefined || ms <= 0) return { status: 400, body: { error: `since=${since}: not a duration (write it like 24h, 90m)` } };
      return { status: 200, body: report(ms) };
    },
  };
}
