// Benchmark: parse + rules throughput on journal records, against journalctl reading the same
// entries back. The pipeline must keep up with its source with room to spare (goal: ≥ 8×).
//   npx tsx scripts/bench/pipeline.ts [entries]
import { pathToFileURL } from 'node:url';
import type { JournalRecord } from '../../src/adapters/journalctl.js';
import { codeMatcher } from '../../src/detect/app-codes.js';
import { loadRulesFile as loadRules } from '../../src/detect/load-rules.js';
import { RuleEngine } from '../../src/detect/rule-engine.js';
import { parseConfig } from '../../src/config/load.js';
import { intake, type IntakeState } from '../../src/pipeline/intake.js';
import { readJournalLine } from '../../src/sources/journal-line.js';
import { mainJournal, startBenchJournal, type BenchJournal } from './bench-journal.js';
import { daemonLines, journalJson } from './daemon-lines.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
}

const GOAL = 8;

const codes = codeMatcher(parseConfig('', '(defaults)').appLogs);

/** One pass of the agent's intake over journalctl JSON lines: JSON → record → entry → rules (the pipeline module). */
function runPipeline(jsonLines: string[], engine: RuleEngine): number {
  let signals = 0;
  const state: IntakeState = {};
  for (const line of jsonLines) {
    const record = readJournalLine(line); // as the agent's journalctl adapter reads it
    signals += intake(record, 'node3', state, { rules: engine, codes }).observations.length;
  }
  return signals;
}

/** Entries per second, the median of `rounds` passes after a warm-up. */
function pipelineRate(jsonLines: string[], rounds = 5): { rate: number; signals: number } {
  const rules = loadRules();
  runPipeline(jsonLines.slice(0, 20_000), new RuleEngine(rules));
  const rates: number[] = [];
  let signals = 0;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    signals = runPipeline(jsonLines, new RuleEngine(rules));
    rates.push(jsonLines.length / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { rate: rates[Math.floor(rounds / 2)], signals };
}

async function openJournal(): Promise<{ journal: BenchJournal; sample?: number }> {
  try {
    return { journal: await startBenchJournal() };
  } catch (err) {
    console.warn(`bench: own journal namespace unavailable (${(err as Error).message}); using the machine's journal with a 9,000-entry sample`);
    return { journal: await mainJournal(), sample: 9_000 };
  }
}

export async function benchPipeline(entries = 200_000): Promise<BenchResult[]> {
  const identifier = `wdg-bench-${process.pid}-${Date.now().toString(36)}`;
  const lines = daemonLines(entries);
  const generated = journalJson(lines, identifier);
  const synthetic = pipelineRate(generated);
  console.log(`pipeline (parse + rules) on ${entries} generated journal records: ${Math.round(synthetic.rate)} entries/s, ${synthetic.signals} signals`);

  const { journal, sample } = await openJournal();
  let read: { lines: string[]; seconds: number };
  try {
    await journal.write(identifier, sample ? lines.slice(0, sample) : lines);
    read = await journal.read(identifier);
  } finally {
    await journal.stop();
  }
  const journalRate = read.lines.length / read.seconds;
  console.log(`journalctl -o json read ${read.lines.length} entries in ${read.seconds.toFixed(2)} s: ${Math.round(journalRate)} entries/s${journal.namespace ? ` (namespace ${journal.namespace})` : ''}`);

  // the same pipeline on journalctl's own output: real field sets, real cursors
  const real = pipelineRate(read.lines);
  console.log(`pipeline on journalctl's output: ${Math.round(real.rate)} entries/s, ${real.signals} signals`);
  const rate = Math.min(synthetic.rate, real.rate);
  const ratio = rate / journalRate;
  console.log(`pipeline / journalctl: ${ratio.toFixed(1)}x (goal ≥ ${GOAL}x) ${ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`);
  return [
    { name: 'detect pipeline (parse + rules)', value: Math.round(rate), unit: 'entries/s' },
    { name: 'journalctl -o json read', value: Math.round(journalRate), unit: 'entries/s' },
    { name: 'detect pipeline / journalctl', value: Number(ratio.toFixed(2)), unit: 'x', goal: `>= ${GOAL}` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 200_000);
  benchPipeline(Number.isFinite(n) && n > 0 ? n : 200_000).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
