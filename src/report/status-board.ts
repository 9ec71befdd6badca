// What the status page needs beyond the agent's incidents, gathered while the agent runs: codes per
// hour (the applications' from observations, ours from the logger), the watchdog's own alert and
// rebalance lines for the timeline, and the last cluster snapshot. GET / renders it.
import type { RawSnapshot } from '../adapters/docker.js';
import type { Incident, Observation } from '../correlate/types.js';
import type { Route } from '../http/server.js';
import { clusterNow } from './cluster-now.js';
import { CodeHours } from './code-hours.js';
import { statusPage } from './status-page.js';
import type { Note } from './timeline.js';

const MAX_NOTES = 500;
const NOTE_CODES = /^WDG-(SLACK|REBALANCE)-/;

export interface BoardSource {
  node: () => string;
  acting: () => boolean;
  incidents: () => Incident[];
  now: () => number;
}

export class StatusBoard {
  readonly codes = new CodeHours();
  private readonly notes: Note[] = [];
  private snapshot?: RawSnapshot;

  /** The logger's listener: every coded line counts in the grid; alerts and rebalance steps are kept. */
  logged(code: string, message: string, time: number): void {
    this.codes.add(code, time);
    if (!NOTE_CODES.test(code)) return;
    this.notes.push({ time, code, message });
    if (this.notes.length > MAX_NOTES) this.notes.shift();
  }

  observed(obs: Observation): void {
    if (obs.type === 'app-code') this.codes.add(obs.code, obs.time);
  }

  /** Undefined on workers: they cannot read the cluster. */
  reconciled(snapshot: RawSnapshot | undefined): void {
    this.snapshot = snapshot;
  }

  page(src: BoardSource, selected: string | null): string {
    const now = src.now();
    return statusPage({
      node: src.node(),
      acting: src.acting(),
      now,
      cluster: this.snapshot ? clusterNow(this.snapshot) : undefined,
      incidents: src.incidents(),
      selected,
      grid: this.codes.grid(now),
      notes: this.notes,
      days: 7,
      refreshSeconds: 5,
    });
  }
}

/** GET / — the status page. No `auth` flag of its own: it follows the rule of the other read routes. */
export function statusRoute(board: StatusBoard, src: BoardSource): Route {
  return {
    method: 'GET',
    path: '/',
    handle: (query) => ({ status: 200, body: board.page(src, query.get('incident')), contentType: 'text/html; charset=utf-8' }),
  };
}
