// The log-code grid: codes (ours and the applications') × the hours of the last day, a count per
// cell shaded by size, the hours an infrastructure incident covered marked across every row.
import { HOUR, type CodeGridData } from './code-hours.js';
import { esc } from './html.js';

export interface GridIncident {
  id: string;
  kind: string;
  start: number;
  end: number | null;
}

const hourLabel = (h: number) => new Date(h).toISOString().slice(11, 13);

/** The incidents overlapping an hour, for marking its column. */
function during(incidents: GridIncident[], hour: number, now: number): GridIncident[] {
  return incidents.filter((i) => i.start < hour + HOUR && (i.end ?? now) >= hour);
}

function shade(count: number, max: number): number {
  if (!count) return 0;
  return Math.min(5, 1 + Math.floor((Math.log(count) / Math.log(Math.max(2, max))) * 4));
}

export function codeGridHtml(grid: CodeGridData, incidents: GridIncident[], now: number): string {
  if (!grid.rows.length) return '<p class="empty">No log codes in the last 24 hours.</p>';
  const marked = grid.hours.map((h) => during(incidents, h, now));
  const max = Math.max(...grid.rows.flatMap((r) => r.counts));
  const head = grid.hours
    .map((h, i) => {
      const inc = marked[i]!;
      const title = `${new Date(h).toISOString().slice(0, 13).replace('T', ' ')}:00 UTC${inc.length ? ` — ${inc.map((x) => x.kind).join(', ')}` : ''}`;
      return `<th scope="col" class="${inc.length ? 'inc' : ''}" title="${esc(title)}">${hourLabel(h)}${inc.length ? '<span class="flag" aria-label="incident">▼</span>' : ''}</th>`;
    })
    .join('');
  const body = grid.rows
    .map((r) => {
      const cells = r.counts
        .map((n, i) => `<td class="s${shade(n, max)}${marked[i]!.length ? ' inc' : ''}" data-hour="${grid.hours[i]}" title="${esc(`${r.code} ${hourLabel(grid.hours[i]!)}:00 — ${n}`)}">${n || ''}</td>`)
        .join('');
      return `<tr data-code="${esc(r.code)}"><th scope="row" class="${r.code.startsWith('WDG-') ? 'ours' : 'app'}">${esc(r.code)}</th>${cells}<td class="total">${r.total}</td></tr>`;
    })
    .join('\n');
  return `<div class="grid-wrap"><table class="grid" aria-label="log codes per hour, UTC">
<thead><tr><th scope="col">code \\ hour (UTC)</th>${head}<th scope="col">24 h</th></tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}
