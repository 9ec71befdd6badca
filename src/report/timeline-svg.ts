// Draws a Timeline as inline SVG, server-side: no charting library to ship, nothing to load. Marks are
// focusable in time order (Tab, or ← → in page.js) and carry their evidence line for the pointer.
import { clock, esc } from './html.js';
import { TRACK_NAMES, TRACKS, type Timeline, type TimelineEvent, type Track } from './timeline.js';

const WIDTH = 1200;
const LEFT = 190;
const RIGHT = 16;
const AXIS = 28;
const ROW = 18;
const LANE_HEAD = 20;
const LANE_GAP = 8;

/** Tracks with few marks, worth a word beside the dot; the others are many and say it under the pointer. */
const LABELLED = new Set<Track>(['tasks', 'alert', 'rebalance']);

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600].map((s) => s * 1000);

/** A tick step giving 6–12 ticks over the range. */
export function tickStep(rangeMs: number): number {
  return STEPS.find((s) => rangeMs / s <= 12) ?? 43_200_000;
}

interface Row {
  lane: string;
  track: Track;
  y: number;
}

function layout(t: Timeline): { rows: Row[]; heads: { lane: string; y: number }[]; height: number } {
  const rows: Row[] = [];
  const heads: { lane: string; y: number }[] = [];
  let y = AXIS + 6;
  for (const lane of t.lanes) {
    heads.push({ lane, y });
    y += LANE_HEAD;
    const present = new Set(t.events.filter((e) => e.node === lane).map((e) => e.track));
    for (const track of TRACKS) {
      if (!present.has(track)) continue;
      rows.push({ lane, track, y });
      y += ROW;
    }
    y += LANE_GAP;
  }
  return { rows, heads, height: y };
}

export function timelineSvg(t: Timeline): string {
  const { rows, heads, height } = layout(t);
  const x = (time: number) => LEFT + ((time - t.start) / Math.max(1, t.end - t.start)) * (WIDTH - LEFT - RIGHT);
  const rowOf = (e: TimelineEvent) => rows.find((r) => r.lane === e.node && r.track === e.track)!;
  const out: string[] = [];
  out.push(`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="group" aria-label="timeline of incident ${esc(t.incidentId)}" data-incident="${esc(t.incidentId)}">`);
  const spanEnd = t.span.end ?? t.end;
  out.push(`<rect class="span" x="${x(t.span.start).toFixed(1)}" y="${AXIS}" width="${Math.max(2, x(spanEnd) - x(t.span.start)).toFixed(1)}" height="${height - AXIS}"><title>the incident${t.span.end === null ? ' (still open)' : ''}</title></rect>`);
  const step = tickStep(t.end - t.start);
  for (let tick = Math.ceil(t.start / step) * step; tick <= t.end; tick += step) {
    out.push(`<line class="tick" x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${AXIS - 6}" y2="${height}"/><text class="axis" x="${x(tick).toFixed(1)}" y="${AXIS - 10}" text-anchor="middle">${clock(tick)}</text>`);
  }
  for (const h of heads) out.push(`<text class="lane" x="6" y="${h.y + 14}">${esc(h.lane)}</text><line class="lane-rule" x1="0" x2="${WIDTH}" y1="${h.y}" y2="${h.y}"/>`);
  for (const r of rows) out.push(`<text class="track" x="18" y="${r.y + 13}">${esc(TRACK_NAMES[r.track])}</text>`);
  // bars under points; data-i keeps time order for the keyboard
  const order = t.events.map((e, i) => [e, i] as const);
  for (const [e, i] of order) if (e.end !== undefined) out.push(mark(e, i, rowOf(e).y, x));
  for (const [e, i] of order) if (e.end === undefined) out.push(mark(e, i, rowOf(e).y, x));
  out.push('</svg>');
  return out.join('\n');
}

function mark(e: TimelineEvent, i: number, y: number, x: (t: number) => number): string {
  const attrs = `class="ev t-${e.track}" tabindex="0" data-i="${i}" data-node="${esc(e.node)}" data-track="${e.track}" data-detail="${esc(e.detail)}" aria-label="${esc(e.detail)}"`;
  const x0 = x(e.time);
  if (e.end !== undefined && e.end > e.time) {
    const w = Math.max(3, x(e.end) - x0);
    const text = w > 70 ? `<text class="on-bar" x="${(x0 + 4).toFixed(1)}" y="${y + 13}">${esc(e.label)}</text>` : '';
    return `<g ${attrs}><rect x="${x0.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" rx="3"/>${text}<title>${esc(e.detail)}</title></g>`;
  }
  // near the right edge the word goes to the left of the dot
  const right = x0 < WIDTH - 140;
  const text = LABELLED.has(e.track) ? `<text class="by-dot" x="${(right ? x0 + 8 : x0 - 8).toFixed(1)}" y="${y + 13}"${right ? '' : ' text-anchor="end"'}>${esc(e.label)}</text>` : '';
  return `<g ${attrs}><circle cx="${x0.toFixed(1)}" cy="${y + ROW / 2}" r="5"/>${text}<title>${esc(e.detail)}</title></g>`;
}
