import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import type { Config } from '../config/schema.js';
import { UnavailableError, UsageError } from '../errors.js';
import { readJsonCapped } from '../http/read-capped.js';
import { buildSummary, summaryText, type CodeTotal, type Summary } from '../operate/summary.js';
import { correlateTimed, replayInputs } from '../pipeline/replay.js';
import { parseInputSpec, type InputSpec } from '../sources/file-input.js';
import type { LineItem } from '../sources/line-item.js';
import { configOrDefaults } from './config-options.js';
import { print, printJson } from './output.js';

export const DEFAULT_AGENT_URL = 'http://127.0.0.1:9323';
const MAX_SUMMARY_BYTES = 16 * 1024 * 1024;

interface SummaryOpts {
  since: string;
  input: InputSpec[];
  config?: string;
  agent: string;
  tokenFile?: string;
  json?: boolean;
}

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('log codes (count and change) and incidents of a period, from the live agent or from journal exports')
    .option('--since <duration>', 'the period: from journal exports, this far back from the newest entry (codes and incidents); from the agent, incidents this far back (it counts codes since its last daily summary)', '24h')
    .option('-i, --input <[NODE=]FILE>', 'a `journalctl -o json` export (container and daemon lines); repeat for each node. Without it, the agent is asked', (v: string, all: InputSpec[] = []) => [...all, parseInputSpec(v)], [])
    .option('-c, --config <file>', 'config file for appLogs code matching, rules and windows (defaults built in)', process.env.WATCHDOG_CONFIG)
    .option('--agent <url>', "the agent's HTTP endpoint", DEFAULT_AGENT_URL)
    .option('--token-file <file>', "the agents' peer token, which the agent asks for (default: the config's peers.tokenFile, env WATCHDOG_PEER_TOKEN_FILE)")
    .option('--json', 'print {"from","to","codes":[{"code","count","change"}],"incidents":[…]}')
    .action(async (opts: SummaryOpts) => {
      const sinceMs = parseDuration(opts.since);
      if (sinceMs === undefined || sinceMs <= 0) throw new UsageError(`--since ${opts.since}: not a duration (write it like 24h, 90m, 7d)`);
      const summary = opts.input.length ? await summaryFromExports(opts.input, sinceMs, configOrDefaults(opts)) : await summaryFromAgent(opts.agent, opts.since, peerToken(opts));
      if (opts.json) printJson(summary);
      else print(summaryText(summary));
    });
}

function peerToken(opts: SummaryOpts): string | undefined {
  if (!opts.tokenFile) return configOrDefaults(opts).secrets.peerToken;
  try {
    return readFileSync(opts.tokenFile, 'utf8').trim() || undefined;
  } catch (err) {
    throw new UsageError(`--token-file ${opts.tokenFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function summaryFromAgent(agent: string, since: string, token: string | undefined): Promise<Summary> {
  const url = `${agent.replace(/\/+$/, '')}/v1/summary?since=${encodeURIComponent(since)}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new UnavailableError(`--agent ${agent}: cannot reach the agent (${cause}); is it running there? Pass --agent URL, or --input FILE to read journal exports`);
  }
  if (res.status === 401) throw new UnavailableError(`--agent ${agent}: the agent wants the peer token (pass --token-file FILE, or set WATCHDOG_PEER_TOKEN_FILE)`);
  const body = (await readJsonCapped(res, MAX_SUMMARY_BYTES).catch(() => undefined)) as (Summary & { error?: string }) | undefined;
  if (!res.ok || !body || !Array.isArray(body.codes)) throw new UnavailableError(`--agent ${agent}: GET /v1/summary answered ${res.status}${body?.error ? `: ${body.error}` : ''} (an agent older than this command has no summary; use --input)`);
  return body;
}

/**
 * Codes of the container lines within `sinceMs` of the newest entry (compared with the same span
 * before, when the exports reach back before the period), and the incidents the daemon lines make.
 */
export async function summaryFromExports(specs: InputSpec[], sinceMs: number, config: Config): Promise<Summary> {
  let newest = -Infinity;
  let oldest = Infinity;
  const seen = (item: LineItem) => {
    const t = item.kind === 'daemon' || item.kind === 'unit' ? item.entry.time : item.kind === 'container' ? item.time : undefined;
    if (t === undefined || t <= 0) return;
    newest = Math.max(newest, t);
    oldest = Math.min(oldest, t);
  };
  const { timed } = await replayInputs(specs, config, {}, seen);
  if (newest === -Infinity) newest = oldest = 0;
  const to = newest;
  const from = to - sinceMs;
  const count = (lo: number, hi: number, includeLo: boolean): CodeTotal[] => {
    const totals = new Map<string, number>();
    for (const { time, obs } of timed) {
      if (obs.type !== 'app-code' || time > hi || time < lo || (!includeLo && time === lo)) continue;
      totals.set(obs.code, (totals.get(obs.code) ?? 0) + 1);
    }
    return [...totals].map(([code, n]) => ({ code, count: n }));
  };
  return buildSummary({
    today: count(from, to, false),
    yesterday: oldest <= from ? count(from - sinceMs, from, true) : undefined,
    incidents: correlateTimed(timed, config, to),
    from,
    to,
  });
}
