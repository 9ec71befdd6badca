import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { holdingClock } from '../adapters/clock.js';
import { readSnapshot } from '../adapters/docker-api.js';
import { DockerodeClient } from '../adapters/dockerode-docker.js';
import { StateFile } from '../adapters/state-file.js';
import { governorStateSchema } from '../agent/state-schemas.js';
import { orphanAfterMs, previousSpec, readIntent } from '../act/intent.js';
import type { GovernorState } from '../act/governor.js';
import { Rebalancer, type RunResult } from '../act/rebalancer.js';
import type { Progress } from '../act/executor.js';
import { EXIT, ExitError, UnavailableError, UsageError } from '../errors.js';
import { silentLogger, createLogger } from '../log/logger.js';
import { formatPlan, planRebalance, planToJson, type ClusterSnapshot } from '../rebalance/index.js';
import { configOption, configOrDefaults } from './config-options.js';
import { isTty, print, printJson } from './output.js';
import { join } from 'node:path';

function readSnapshotFile(file: string): ClusterSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--snapshot ${file}: cannot read a JSON snapshot: ${(err as Error).message}`);
  }
  const d = doc as Partial<Record<keyof ClusterSnapshot, unknown>> | null;
  if (!Array.isArray(d?.nodes) || !Array.isArray(d?.services) || !Array.isArray(d?.tasks)) {
    throw new UsageError(`--snapshot ${file}: expected {"nodes": [...], "services": [...], "tasks": [...]} (write one with watchdog snapshot)`);
  }
  try {
    return readSnapshot(d.nodes, d.services, d.tasks); // the same checks as a live read
  } catch (err) {
    throw new UsageError(`--snapshot ${file}: ${(err as Error).message.replace(/^docker: GET \/(\w+): unexpected reply: \[/, '$1[')}`);
  }
}

async function requireManager(docker: DockerodeClient): Promise<void> {
  const local = await docker.localNode();
  if (!local.isManager) throw new UnavailableError(`this node (${local.hostname || 'not in a swarm'}) is not a Swarm manager: run the command on a manager`, 'WDG-DOCKER-001');
}

type RebalanceOpts = { config: string; dryRun?: boolean; snapshot?: string; service?: string[]; json?: boolean };
type Config = ReturnType<typeof configOrDefaults>;

export function registerRebalance(program: Command): void {
  configOption(program.command('snapshot'))
    .description('write the cluster snapshot ({"nodes","services","tasks"} as the Engine API returns them) from a live manager')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(writeSnapshot);

  configOption(program.command('rebalance'))
    .description('put tasks back in balance with the fewest moves, never below desired replicas')
    .option('--dry-run', 'print the plan only')
    .option('--snapshot <file>', 'plan from a snapshot file (dry run only; no Docker needed)')
    .option('--service <name...>', 'only these services')
    .option('--json', 'print JSON')
    .action(async (opts: RebalanceOpts) => {
      if (opts.snapshot && !opts.dryRun) throw new UsageError('--snapshot plans from a file: add --dry-run (moves need a live manager)');
      const config = configOrDefaults(opts);
      return opts.dryRun ? dryRun(opts, config) : rebalanceLive(opts, config);
    });

  configOption(program.command('restore'))
    .argument('<service>', 'service name or ID')
    .description("restore the spec `docker service rollback` would have gone back to before the watchdog's last rebalance")
    .action(restore);
}

async function writeSnapshot(opts: { config: string; output?: string }): Promise<void> {
  const config = configOrDefaults(opts);
  const docker = new DockerodeClient(config.docker.socket, config.docker.timeout);
  await requireManager(docker);
  const text = JSON.stringify(await docker.snapshot(), null, 2);
  if (opts.output) writeFileSync(opts.output, `${text}\n`);
  else print(text);
}

async function dryRun(opts: RebalanceOpts, config: Config): Promise<void> {
  let snapshot: ClusterSnapshot;
  if (opts.snapshot) snapshot = readSnapshotFile(opts.snapshot);
  else {
    const docker = new DockerodeClient(config.docker.socket, config.docker.timeout);
    await requireManager(docker);
    snapshot = await docker.snapshot();
  }
  const plan = planRebalance(snapshot, { services: opts.service });
  if (plan.notFound.length) throw new UsageError(`--service: no such service: ${plan.notFound.join(', ')}`);
  if (opts.json) return printJson(planToJson(plan, true));
  return print(formatPlan(plan));
}

async function rebalanceLive(opts: RebalanceOpts, config: Config): Promise<void> {
  const docker = new DockerodeClient(config.docker.socket, config.docker.timeout);
  await requireManager(docker);
  const log = opts.json || !isTty() ? silentLogger() : createLogger({ level: 'warning' });
  const store = new StateFile<GovernorState>(join(config.stateDir, 'rebalance-cli.json'), governorStateSchema);
  // By hand: the operator decides, so no cooldown or move budget from earlier automatic runs.
  const rebalancer = new Rebalancer(docker, holdingClock, log, store, () => ({
    serviceTimeoutMs: config.rebalance.serviceTimeout, dockerTimeoutMs: config.docker.timeout, maxInFlight: config.rebalance.maxInFlight, node: 'cli', maxMoves: Number.MAX_SAFE_INTEGER, movesWindowMs: 1, cooldownMs: 0,
  }));
  const progress = (p: Progress) => {
    if (opts.json) return;
    const c = p.counts ? ` (running ${p.counts.running}/${p.counts.desired})` : '';
    print(`  ${p.service}: ${p.phase}${p.k ? ` k=${p.k}` : ''}${c}`);
  };
  // A move no live run can still be writing (past its write window, see act/intent.ts) was
  // interrupted: finish it first. Younger ones are left to their owner and shown as skipped.
  const finished = await rebalancer.recover({ startedBefore: holdingClock.now() - orphanAfterMs(config.rebalance.serviceTimeout, config.docker.timeout) });
  if (finished.length && !opts.json) print(`finished interrupted rebalances: ${finished.join(', ')}`);
  report(await rebalancer.run('by hand', opts.service, progress), finished, Boolean(opts.json));
}

function report(result: RunResult, finished: string[], json: boolean): void {
  const failed = result.outcomes.filter((o) => o.error);
  if (json) printJson({ ...planToJson(result.plan, false), finishedInterrupted: finished, results: result.outcomes });
  else {
    print(formatPlan(result.plan));
    for (const o of result.outcomes) print(`${o.error ? 'FAILED' : 'done  '} ${o.service}: moved ${o.moved}${o.error ? ` — ${o.error} [${o.code}]` : ''}`);
  }
  if (failed.length) throw new ExitError(`${failed.length} service(s) could not be rebalanced [${failed[0]!.code}]`, EXIT.incomplete);
  const busy = result.plan.services.filter((s) => s.busy).map((s) => s.serviceName);
  if (busy.length) throw new ExitError(`not balanced yet: ${busy.join(', ')} changing right now (the reason is in the plan); run again once settled`, EXIT.incomplete, 'WDG-REBALANCE-008');
}

async function restore(service: string, opts: { config: string }): Promise<void> {
  const config = configOrDefaults(opts);
  const docker = new DockerodeClient(config.docker.socket, config.docker.timeout);
  await requireManager(docker);
  const svc = await docker.inspectService(service);
  if (readIntent(svc.Spec.Labels)) throw new ExitError(`${service}: a rebalance is under way; wait for it to finish`, EXIT.incomplete);
  if (!readIntent(svc.PreviousSpec?.Labels)) throw new UsageError(`${service}: its last change was not a watchdog rebalance: use docker service rollback`);
  const spec = previousSpec(svc.Spec.Labels);
  if (!spec) throw new UsageError(`${service}: no previous deployment recorded by the watchdog`);
  await docker.updateService(svc.ID, svc.Version.Index, spec);
  print(`${service}: restored the spec of the last real deployment before the rebalance`);
}
