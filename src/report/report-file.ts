// `watchdog diagnose … --html FILE`: every incident's timeline and the code grid of the logs, as one
// self-contained file (style and script inlined) for the operator who has only log files.
import type { Incident } from '../correlate/types.js';
import { codeGridHtml } from './code-grid-html.js';
import type { CodeGridData } from './code-hours.js';
import { esc, minute } from './html.js';
import { incidentSection } from './incident-section.js';
import { htmlPage } from './page.js';

export interface ReportInput {
  /** What was replayed, for the header (file names). */
  inputs: string[];
  incidents: Incident[];
  grid: CodeGridData;
  /** The last log time: open incidents are drawn up to here. */
  until: number;
}

export function diagnoseReport({ inputs, incidents, grid, until }: ReportInput): string {
  const list = [...incidents].sort((a, b) => a.start - b.start);
  const header = `<h1>swarm-watchdog diagnose</h1><span class="meta">${esc(inputs.join(', '))}</span><span class="meta">logs until ${minute(until)}</span>`;
  const toc = list.length
    ? `<ul class="incidents">\n${list.map((i) => `<li><a href="#inc-${esc(i.id)}"><span class="kind">${esc(i.kind)}</span></a> ${esc(i.summary)}</li>`).join('\n')}\n</ul>`
    : '<p class="empty">No incident: nothing in these logs needs attention.</p>';
  const body = `<h2>${list.length} incident${list.length === 1 ? '' : 's'}</h2>
${toc}
${list.map((i) => incidentSection(i, [], until)).join('\n')}
<h2>Log codes per hour (the 24 h up to the last log line)</h2>
${codeGridHtml(grid, list.map((i) => ({ id: i.id, kind: i.kind, start: i.start, end: i.end })), until)}`;
  return htmlPage({ title: `swarm-watchdog diagnose: ${list.length} incident(s)`, header, body, refreshSeconds: 0 });
}
