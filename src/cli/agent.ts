import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../adapters/clock.js';
import { DockerodeClient } from '../adapters/dockerode-docker.js';
import { checkJournal } from '../adapters/journal-check.js';
import { JournalctlSource } from '../adapters/journalctl.js';
import { Agent } from '../agent/agent.js';
import { Duties, dutyRoutes } from '../agent/duties.js';
import { liveSteps, reloadConfig } from '../agent/reload.js';
import { agentRoutes, setDebug } from '../agent/routes.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ExitError } from '../errors.js';
import { startHttp } from '../http/server.js';
import { createLogger, type Logger } from '../log/logger.js';
import { shipTo } from '../log/ship.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { summaryMessage, summaryRoute } from '../operate/summary.js';
import { DailySummary, startSummarySchedule, SummaryStore } from '../operate/summary-schedule.js';
import { StatusBoard, statusRoute } from '../report/status-board.js';
import { configOption } from './config-options.js';

export function registerAgent(program: Command): void {
  configOption(program.command('agent'))
    .description('run the node agent: follow the daemon journal, detect, correlate, alert, rebalance')
    .action(async (opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const log = createLogger({ level: config.log.level, flood: { max: config.log.floodMax, windowMs: config.log.floodWindow } });
      await runAgent(opts.config, config, log);
    });
}

/** Below stack.yml's stop_grace_period (20 s), so the exit is ours and logged, not Docker's SIGKILL. */
const STOP_GRACE_MS = 10_000;

async function runAgent(file: string, initial: Config, log: Logger): Promise<void> {
  let config = initial;
  log.control.redactor.setSecrets(Object.values(config.secrets));
  log.log('WDG-CONFIG-001', `configuration loaded from ${file}`, { node: config.node, stateDir: config.stateDir });
  // A bug must be visible and coded before Swarm restarts the task; state is saved often enough.
  process.on('uncaughtException', (err) => {
    log.log('WDG-CLI-001', `internal error, this is a bug: ${err.message}`, { stack: err.stack });
    process.exit(1);
  });
  const clock = systemClock;
  const board = new StatusBoard();
  log.control.listen = (code, msg, _fields, time) => board.logged(code, msg, time);
  const health = new Health((text) => log.control.redactor.redact(text));
  const metrics = new Metrics();
  // log lines over UDP as well (best effort); the name is looked up again on each applied reload
  const ship = (c: Config) => shipTo(log, c.log.ship, { hostname: c.node, onDrop: () => metrics.logShipDropped.inc() });
  ship(config);
  health.set('config', 'OK', clock.now());
  try {
    await checkJournal(config.journal.command, config.journal.directory);
  } catch (err) {
    if (err instanceof ExitError) log.log('WDG-JOURNAL-008', err.message);
    throw err;
  }
  const journalOptions = (c: Config) => ({ command: c.journal.command, matches: c.journal.matches, directory: c.journal.directory, lookbackMs: c.journal.lookback, backoffMaxMs: c.journal.restartBackoffMax });
  const journal = new JournalctlSource(journalOptions(config), log.child({ component: 'journal' }), clock);
  const started = config; // what the restart-only fields really are
  const docker = new DockerodeClient(config.docker.socket, config.docker.timeout);
  const agent = new Agent({ config, log, clock, docker, journal, metrics, health });
  const duties = new Duties({
    config: () => config,
    docker,
    clock,
    log,
    metrics,
    health,
    incidents: () => agent.incidents(),
    sessionLostSince: () => agent.sessionLostSince(),
  });
  agent.hooks = {
    incidentChanged: (change, acting) => duties.incidentChanged(change, acting),
    reconciled: (local, snapshot) => {
      board.reconciled(snapshot);
      duties.reconciled(local, snapshot);
    },
    tick: (acting) => duties.tick(acting),
    observed: (obs, acting) => {
      board.observed(obs);
      duties.observed(obs, acting);
    },
  };
  const status = statusRoute(board, { node: () => config.node, acting: () => agent.acting, incidents: () => agent.incidents(), now: () => clock.now() });
  const daily = new DailySummary({
    store: new SummaryStore(join(config.stateDir, 'summary.json'), log),
    clock,
    log,
    appCounts: () => agent.codeCounts(),
    resetAppCounts: () => agent.resetCodeCounts(),
    incidents: () => agent.incidents(),
  });
  daily.start();
  // Every agent ends its period on schedule (so a new leader never posts several days at once); only the acting one posts.
  const schedule = (c: Config) =>
    startSummarySchedule({ schedule: c.summary.schedule, timezone: c.summary.timezone, log, post: () => void daily.endPeriod(agent.acting ? (s) => duties.slack.postDaily(s, summaryMessage) : undefined) });
  let summarySchedule = schedule(config);
  const server = await startHttp({ listen: config.http.listen, port: config.http.port, token: () => config.secrets.peerToken, routes: agentRoutes({ agent, health, metrics, log, extra: [...dutyRoutes(duties, () => agent.acting), summaryRoute((ms) => daily.current(ms)), status] }), log });
  agent.start();

  const prepare = liveSteps({
    startSchedule: schedule,
    swapSchedule: (next) => {
      summarySchedule.stop();
      summarySchedule = next;
    },
    agent,
    setConfig: (next) => {
      config = next;
      log.control.redactor.setSecrets(Object.values(next.secrets));
    },
    applyRest: (next) => {
      if (log.control.level !== 'debug') log.control.level = next.log.level;
      log.control.flood.setLimits({ max: next.log.floodMax, windowMs: next.log.floodWindow });
      ship(next);
      duties.applyConfig(next);
      journal.reconfigure(journalOptions(next));
    },
  });
  const reload = (via: string) => reloadConfig({ load: () => loadConfig(file), running: () => config, started, prepare, health, metrics, log, clock }, via);
  const reloadLoop = () => clock.setTimeout(() => { reload('timer'); timer = reloadLoop(); }, config.reloadEvery);
  let timer = reloadLoop();
  process.on('SIGHUP', () => reload('SIGHUP'));
  process.on('SIGUSR2', () => setDebug(log, log.control.level !== 'debug', 'SIGUSR2', config.log.level));

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.log('WDG-AGENT-001', `stopping on ${signal}`, { signal });
      timer.cancel();
      summarySchedule.stop();
      daily.stop();
      server.close();
      duties.stop();
      // a stop that hangs (a stuck child or socket) must not outlive the orchestrator's grace
      setTimeout(() => {
        log.log('WDG-AGENT-002', `still running ${STOP_GRACE_MS / 1000} s after ${signal}: exiting now`, { open: process.getActiveResourcesInfo() });
        log.control.flush();
        process.exit(0);
      }, STOP_GRACE_MS).unref();
      void agent.stop().then(resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
