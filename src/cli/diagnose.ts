import type { Command } from 'commander';
import { ClusterView } from '../correlate/cluster-view.js';
import { incidentToJson } from '../correlate/incident-json.js';
import { DataError, UsageError } from '../errors.js';
import { correlateTimed, replayInputs, type Timed } from '../pipeline/replay.js';
import { parseEvent } from '../sources/docker-event.js';
import { parseInputSpec, type InputSpec } from '../sources/file-input.js';
import { readLines } from '../sources/read-lines.js';
import { zoneFor } from '../sources/text/zone.js';
import { configOrDefaults } from './config-options.js';
import { writeHtmlReport } from './diagnose-html.js';
import { checkInputs, noIncident, printInputs, printTimeline } from './diagnose-report.js';
import { print, printJson } from './output.js';

interface DiagnoseOpts {
  input: InputSpec[];
  events?: string;
  config?: string;
  json?: boolean;
  html?: string;
  year?: string;
  tz: string;
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description("replay daemon logs (journalctl's text or JSON exports, syslog files, dockerd's own log; gzip or stdin) and a docker events file; print what was read, timelines and incidents")
    .requiredOption('-i, --input <[NODE=]FILE>', 'a daemon log or journal export (- for standard input); repeat for each node. Without NODE=, the node is each line\'s hostname, else the file name', (v: string, all: InputSpec[] = []) => [...all, parseInputSpec(v)])
    .option('-e, --events <file>', "a manager's `docker events --format '{{json .}}'` stream")
    .option('-c, --config <file>', 'config file for rules and windows (defaults built in)', process.env.WATCHDOG_CONFIG)
    .option('--year <year>', "the year of log times written without one (journalctl short, RFC 3164); default: each file's modification year")
    .option('--tz <zone>', 'the zone of log times written without one: UTC, +01:00 or an IANA name', 'UTC')
    .option('--json', 'print {"incidents":[…],"inputs":[…]} as JSON')
    .option('--html <file>', 'also write the timelines and the code grid as one self-contained HTML file')
    .action(async (opts: DiagnoseOpts) => {
      const config = configOrDefaults(opts);
      const zone = zoneFor(opts.tz);
      if (!zone) throw new UsageError(`--tz ${opts.tz}: not a zone (write UTC, +01:00, -0500 or a name like Europe/Berlin)`);
      const year = opts.year === undefined ? undefined : Number(opts.year);
      if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) throw new UsageError(`--year ${opts.year}: not a year (write it like 2026)`);
      const { timed, inputs } = await replayInputs(opts.input, config, { year, zone });
      checkInputs(inputs);
      if (opts.events) timed.push(...(await readEvents(opts.events, config.correlate.window)));
      const incidents = correlateTimed(timed, config);
      if (opts.html) writeHtmlReport(opts.html, opts.input.map((i) => i.file), incidents, timed.map((t) => t.obs), lastTime(timed));

      if (opts.json) return printJson({ incidents: incidents.map(incidentToJson), inputs });
      printInputs(inputs);
      print();
      printTimeline(timed);
      print();
      print(incidents.length ? `${incidents.length} incident(s):` : noIncident(inputs));
      for (const i of incidents) print(`- [${i.kind}] ${i.summary}`);
    });
}

function lastTime(timed: Timed[]): number {
  let last = 0;
  for (const t of timed) if (t.time > last) last = t.time;
  return last;
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
