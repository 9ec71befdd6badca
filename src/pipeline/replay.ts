// The replay pipeline of the one-shot commands: inputs → line readers → intake (the agent's own
// step) → time order → correlator. `watchdog diagnose` and `watchdog summary` both call it, so a
// verdict never depends on which command produced it.
import type { Readable } from 'node:stream';
import type { Config } from '../config/schema.js';
import { Correlator } from '../correlate/correlator.js';
import type { Incident, Observation } from '../correlate/types.js';
import { codeMatcher } from '../detect/app-codes.js';
import { loadRulesFile } from '../detect/load-rules.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { fileNode, fileYear, inputLines, type InputSpec } from '../sources/file-input.js';
import { LineReader, type InputStats } from '../sources/line-reader.js';
import type { LineItem } from '../sources/line-item.js';
import { UTC_ZONE, type Zone } from '../sources/text/zone.js';
import { correlatorOptions } from './correlator-options.js';
import { takeItem, type IntakeDeps, type IntakeState } from './intake.js';

export interface Timed {
  time: number;
  obs: Observation;
}

export interface ReplayOptions {
  /** The year of times written without one; default: each file's modification year. */
  year?: number;
  /** The zone of times written without one; default UTC. */
  zone?: Zone;
  stdin?: Readable;
  now?: number;
}

export interface Replayed {
  timed: Timed[];
  inputs: Array<InputStats & { year: number; zone: string }>;
}

export function timeOf(obs: Observation): number {
  return obs.type === 'signal' ? obs.signal.time : obs.type === 'node-name' ? 0 : obs.time;
}

function itemTime(item: LineItem): number | undefined {
  if (item.kind === 'daemon' || item.kind === 'unit') return item.entry.time;
  if (item.kind === 'container' || item.kind === 'boot') return item.time;
  return undefined;
}

/** Observations of every input (unsorted), and what was read in each. `onItem` sees every item. */
export async function replayInputs(specs: InputSpec[], config: Config, options: ReplayOptions = {}, onItem?: (item: LineItem) => void): Promise<Replayed> {
  const deps: IntakeDeps = { rules: new RuleEngine(loadRulesFile(config.rulesFile)), codes: codeMatcher(config.appLogs) };
  const timed: Timed[] = [];
  const inputs: Replayed['inputs'] = [];
  const zone = options.zone ?? UTC_ZONE;
  for (const spec of specs) {
    const year = options.year ?? fileYear(spec, options.now ?? Date.now());
    const reader = new LineReader(spec.file, { node: spec.node, fallbackNode: fileNode(spec), year, zone });
    const states = new Map<string, IntakeState>(); // per node: one file may hold several
    const take = (item: LineItem) => {
      onItem?.(item);
      const node = item.kind === 'daemon' || item.kind === 'unit' ? item.entry.node : 'node' in item ? item.node : undefined;
      if (node === undefined) return;
      let state = states.get(node);
      if (!state) states.set(node, (state = {}));
      for (const obs of takeItem(item, state, deps).observations) timed.push({ time: timeOf(obs) || (itemTime(item) ?? 0), obs });
    };
    for await (const line of inputLines(spec, options.stdin)) for (const item of reader.push(line)) take(item);
    for (const item of reader.end()) take(item);
    inputs.push({ ...reader.stats, year, zone: zone.name });
  }
  return { timed, inputs };
}

/** Time order, then the correlator; what the inputs show as over is over (`to` + quiet). */
export function correlateTimed(timed: Timed[], config: Config, to?: number): Incident[] {
  timed.sort((a, b) => a.time - b.time);
  const correlator = new Correlator(correlatorOptions(config));
  for (const { obs } of timed) correlator.add(obs);
  const last = to ?? (timed.length ? timed[timed.length - 1].time : 0);
  correlator.tick(last + config.correlate.quiet + 1);
  return correlator.incidents();
}
