// One incident on a page: its summary, its timeline, the evidence line under the pointer, and every
// evidence line as a table (what the timeline shows, readable without the pointer or script).
import type { Incident } from '../correlate/types.js';
import { clock, duration, esc, minute } from './html.js';
import { incidentTimeline, type Note } from './timeline.js';
import { timelineSvg } from './timeline-svg.js';

export function incidentSection(incident: Incident, notes: Note[], now: number): string {
  const timeline = incidentTimeline(incident, notes, now);
  const lasted = incident.end === null ? `<span class="open">open</span> for ${duration(now - incident.start)}` : `lasted ${duration(incident.end - incident.start)}`;
  const rows = incident.evidence
    .map((e) => `<tr><td>${clock(e.time)}</td><td>${esc(e.node)}</td><td>${esc(e.rule)}</td><td>${esc(e.message)}</td></tr>`)
    .join('\n');
  const left = incident.evidenceCount - incident.evidence.length;
  return `<section class="incident" id="inc-${esc(incident.id)}" aria-label="incident ${esc(incident.id)}">
<h3><span class="kind">${esc(incident.kind)}</span> ${esc(incident.summary)}</h3>
<p class="meta">${minute(incident.start)} · ${lasted}${incident.storm ? ' · <strong>storm: rebalancing holds</strong>' : ''} · nodes ${esc(incident.nodes.join(', ') || '—')}</p>
${timelineSvg(timeline)}
<div id="evidence-${esc(incident.id)}" class="evidence-line" aria-live="polite"><span class="hint">Point at a mark, or Tab to the timeline and use ← → : its evidence line shows here.</span></div>
<details><summary>${incident.evidence.length} key evidence lines${left > 0 ? ` (${left} more like them not kept)` : ''}</summary>
<table class="evidence"><thead><tr><th>time (UTC)</th><th>node</th><th>rule</th><th>line</th></tr></thead><tbody>
${rows}
</tbody></table></details>
</section>`;
}
