// GET / on every agent: the cluster now, the incidents of the last days, one incident's timeline and
// the log-code grid. Pure: what the agent knows in, an HTML string out.
import type { Incident } from '../correlate/types.js';
import { clusterHtml, type ClusterNow } from './cluster-now.js';
import { codeGridHtml } from './code-grid-html.js';
import type { CodeGridData } from './code-hours.js';
import { clock, duration, esc, minute } from './html.js';
import { incidentSection } from './incident-section.js';
import { htmlPage } from './page.js';
import type { Note } from './timeline.js';

export interface StatusInput {
  node: string;
  acting: boolean;
  now: number;
  /** Undefined on workers (they cannot read the cluster). */
  cluster?: ClusterNow;
  incidents: Incident[];
  /** ?incident=ID; the newest incident when unset or unknown. */
  selected?: string | null;
  grid: CodeGridData;
  notes: Note[];
  days: number;
  refreshSeconds: number;
}

const DAY = 86_400_000;

export function statusPage(input: StatusInput): string {
  const { node, acting, now, days } = input;
  const recent = input.incidents.filter((i) => (i.end ?? now) >= now - days * DAY).sort((a, b) => b.start - a.start);
  const shown = recent.find((i) => i.id === input.selected) ?? recent[0];
  const open = recent.filter((i) => i.end === null).length;
  const header = `<h1>swarm-watchdog · ${esc(node)}</h1>
<span class="meta">${acting ? 'acting agent (Raft leader): sees the whole cluster' : 'reporting agent: the acting one on the Raft leader correlates the cluster'}</span>
<span class="meta">${open ? `<span class="open">${open} open incident${open > 1 ? 's' : ''}</span>` : 'no open incident'}</span>
<span id="updated" class="status-line" aria-live="polite">${clock(now)} UTC</span>`;
  const body = `<div id="live">
<h2>Cluster now</h2>
${clusterHtml(input.cluster, node)}
<h2>Incidents of the last ${days} days</h2>
${incidentList(recent, shown)}
<h2>Timeline</h2>
${shown ? incidentSection(shown, input.notes, now) : '<p class="empty">No incident to show.</p>'}
<h2>Log codes per hour, last 24 h</h2>
${codeGridHtml(input.grid, recent.map((i) => ({ id: i.id, kind: i.kind, start: i.start, end: i.end })), now)}
</div>`;
  return htmlPage({ title: `${open ? `(${open}) ` : ''}swarm-watchdog ${node}`, header, body, refreshSeconds: input.refreshSeconds });
}

function incidentList(list: Incident[], shown: Incident | undefined): string {
  if (!list.length) return '<p class="empty">No incidents.</p>';
  const items = list.map((i) => {
    const when = i.end === null ? `<span class="open">open</span> since ${minute(i.start)}` : `${minute(i.start)}, ${duration(i.end - i.start)}`;
    const current = i === shown ? ' class="selected" aria-current="true"' : '';
    return `<li${current}><a href="?incident=${encodeURIComponent(i.id)}"><span class="kind">${esc(i.kind)}</span></a> ${esc(i.summary)} <span class="meta">(${when})</span></li>`;
  });
  return `<ul class="incidents">\n${items.join('\n')}\n</ul>`;
}
