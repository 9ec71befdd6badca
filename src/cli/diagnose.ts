import type { Command } from 'commander';
import { correlatorOptions } from '../agent/correlator-options.js';
import { intake } from '../agent/journal-intake.js';
import { parseConfig, loadConfig } from '../config/load.js';
import { Correlator } from '../correlate/correlator.js';
import { incidentToJson } from '../correlate/incident-json.js';
import type { Observation } from '../correlate/types.js';
import { codeMatcher } from '../detect/app-codes.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { loadRulesFile } from '../detect/load-rules.js';
import { DataError } from '../errors.js';
import { ClusterView } from '../sources/cluster-view.js';
import { parseEvent } from '../sources/docker-event.js';
import { parseInputSpec, readInput, type InputSpec } from '../sources/file-input.js';
import { recordNode } from '../sources/journal-record.js';
import { readLines } from '../sources/read-lines.js';
import { print, printJson } from './output.js';

interface Timed {
  time: number;
  obs: Observation;
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description('replay daemon logs (logrus text or journalctl -o json exports) and a docker events file; print timelines and incidents')
    .requiredOption('-i, --input <[NODE=]FILE>', 'a daemon log or journal export; repeat for each node', (v: string, all: InputSpec[] = []) => [...all, parseInputSpec(v)])
    .option('-e, --events <file>', "a manager's `docker events --format '{{json .}}'` stream")
    .option('-c, --config <file>', 'config file for rules and windows (defaults built in)', process.env.WATCHDOG_CONFIG)
    .option('--json', 'print {"incidents":[…]} as JSON')
    .action(async (opts: { input: InputSpec[]; events?: string; config?: string; json?: boolean }) => {
      const config = opts.config ? loadConfig(opts.config) : parseConfig('', '(defaults)', {});
      const rules = new RuleEngine(loadRulesFile(config.rulesFile));
      const codes = codeMatcher(config.appLogs);
      const timed: Timed[] = [];
      for (const spec of opts.input) {
        const state = {};
        for await (const item of readInput(spec)) {
          if (item.entry) {
            for (const signal of rules.apply(item.entry)) timed.push({ time: signal.time, obs: { type: 'signal', signal } });
          } else if (item.container) {
            for (const obs of intake(item.container, spec.node ?? recordNode(item.container), state, rules, codes).observations) timed.push({ time: timeOf(obs), obs });
          }
        }
      }
      if (opts.events) timed.push(...(await readEvents(opts.events, config.correlate.window)));
      timed.sort((a, b) => a.time - b.time);

      const correlator = new Correlator(correlatorOptions(config));
      for (const { obs } of timed) correlator.add(obs);
      const last = timed.length ? timed[timed.length - 1].time : 0;
      correlator.tick(last + config.correlate.quiet + 1);
      const incidents = correlator.incidents();

      if (opts.json) return printJson({ incidents: incidents.map(incidentToJson) });
      printTimeline(timed);
      print();
      print(incidents.length ? `${incidents.length} incident(s):` : 'No incident: nothing in these logs needs attention.');
      for (const i of incidents) print(`- [${i.kind}] ${i.summary}`);
    });
}

function timeOf(obs: Observation): number {
  return obs.type === 'signal' ? obs.signal.time : obs.type === 'node-name' ? 0 : obs.time;
}

async function readEvents(file: string, recentMs: number): Promise<Timed[]> {
  const view = new ClusterView(recentMs);
  const out: Timed[] = [];
  for await (const { text, no } of readLines('--events', file)) {
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue; // a torn line: skip it, keep the rest
    }
    const parsed = parseEvent(value);
    if ('problem' in parsed) throw new DataError(`--events ${file} line ${no}: not a Docker event (${parsed.problem}); give the output of docker events --format '{{json .}}'`);
    const event = parsed.event;
    if (event.Type === 'node' && event.Actor.Attributes?.name) out.push({ time: 0, obs: { type: 'node-name', nodeId: event.Actor.ID, node: event.Actor.Attributes.name } });
    for (const obs of view.event(event)) out.push({ time: obs.time, obs });
  }
  return out;
}

function printTimeline(timed: Timed[]): void {
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
