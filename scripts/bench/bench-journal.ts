// A journal to bench against. The machine's journal is shared (labs follow it), so the bench runs
// its own systemd-journald in a journal namespace (journald@NS: its own sockets, files and
// rate-limit settings), writes through its stdout-stream socket the way systemd-cat does, and
// reads back with the real `journalctl --namespace`. Everything it creates is removed by stop().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const JOURNALD = '/lib/systemd/systemd-journald';

export interface BenchJournal {
  namespace: string;
  /** Writes lines as entries with this SYSLOG_IDENTIFIER (PRIORITY 6, like dockerd under systemd). */
  write(identifier: string, lines: string[]): Promise<void>;
  /** Runs `journalctl -o json` for the identifier; returns its output lines and the seconds it took. */
  read(identifier: string): Promise<{ lines: string[]; seconds: number }>;
  stop(): Promise<void>;
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  while (!check()) {
    if (performance.now() > until) throw new Error(`bench journal: ${what} did not happen within ${ms} ms`);
    await sleep(50);
  }
}

export async function startBenchJournal(): Promise<BenchJournal> {
  if (!existsSync(JOURNALD)) throw new Error(`bench journal: ${JOURNALD} not found (install systemd)`);
  const namespace = `wdgbench${process.pid}`;
  const conf = `/etc/systemd/journald@${namespace}.conf`;
  const socketDir = `/run/systemd/journal.${namespace}`;
  const machineId = readFileSync('/etc/machine-id', 'utf8').trim();
  const dataDirs = [`/run/log/journal/${machineId}.${namespace}`, `/var/log/journal/${machineId}.${namespace}`];
  // no rate limit (200,000 lines in a second would be cut to 10,000), memory-backed, bounded
  writeFileSync(conf, '[Journal]\nStorage=volatile\nRateLimitIntervalSec=0\nRateLimitBurst=0\nRuntimeMaxUse=2G\n');
  const daemon: ChildProcess = spawn(JOURNALD, [namespace], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const stop = async () => {
    if (daemon.exitCode === null && daemon.pid) process.kill(daemon.pid, 'SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    for (const path of [conf, socketDir, ...dataDirs]) rmSync(path, { recursive: true, force: true });
  };
  try {
    await waitFor(() => existsSync(`${socketDir}/stdout`), 10_000, `${socketDir}/stdout to appear`);
  } catch (err) {
    await stop();
    throw err;
  }

  const count = (identifier: string) =>
    spawnSync('journalctl', [`--namespace=${namespace}`, '-o', 'cat', `SYSLOG_IDENTIFIER=${identifier}`, '--no-pager', '-n', '1'], { encoding: 'utf8' }).stdout;

  return {
    namespace,
    async write(identifier, lines) {
      // allowHalfOpen: journald shuts its side of a stdout stream at once; ours must stay open
      const socket = createConnection({ path: `${socketDir}/stdout`, allowHalfOpen: true });
      let broken: Error | undefined;
      const failed = new Promise<never>((_, reject) => {
        socket.once('error', (err) => reject((broken = err)));
        socket.once('close', () => reject((broken ??= new Error('bench journal: journald closed the stream'))));
      });
      failed.catch(() => undefined); // raced below; a late rejection is not an error
      await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), failed]);
      // the stream header systemd-cat sends: identifier, unit, priority, level prefix, forward to syslog/kmsg/console
      socket.write(`${identifier}\n\n6\n0\n0\n0\n0\n`);
      for (let i = 0; i < lines.length; i += 2_000) {
        if (!socket.write(lines.slice(i, i + 2_000).join('\n') + '\n')) {
          await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), failed]);
        }
      }
      await Promise.race([new Promise<void>((resolve) => socket.end(resolve)), failed]);
      if (broken) throw broken;
      const last = lines[lines.length - 1];
      await waitFor(() => count(identifier).trimEnd() === last, 60_000, 'the last entry to be stored');
    },
    async read(identifier) {
      const start = performance.now();
      const child = spawn('journalctl', [`--namespace=${namespace}`, '-o', 'json', `SYSLOG_IDENTIFIER=${identifier}`, '--no-pager'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) throw new Error(`bench journal: journalctl exited with ${code}`);
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
      return { lines, seconds };
    },
    stop,
  };
}

/**
 * Fallback when a namespace cannot be started (not root, old systemd): the machine's own journal,
 * through systemd-cat, starting journald if it is not running. The default rate limit (10,000
 * entries per 30 s per service) applies there, so callers write a sample below it.
 */
export async function mainJournal(): Promise<BenchJournal> {
  // A socket file is not a running journald: /run may outlive it (see scripts/lab/lab.sh).
  const answers = () => spawnSync('systemd-cat', ['-t', 'swarm-watchdog-bench', 'true']).status === 0;
  if (!answers()) {
    spawn(JOURNALD, [], { stdio: 'ignore', detached: true }).unref(); // left running: it is the machine's journal
    await waitFor(answers, 10_000, 'journald to answer');
  }
  return {
    namespace: '',
    async write(identifier, lines) {
      const cat = spawn('systemd-cat', ['-t', identifier], { stdio: ['pipe', 'ignore', 'inherit'] });
      cat.stdin.end(lines.join('\n') + '\n');
      await new Promise((resolve) => cat.once('close', resolve));
      const last = lines[lines.length - 1];
      await waitFor(
        () => spawnSync('journalctl', ['-o', 'cat', `SYSLOG_IDENTIFIER=${identifier}`, '--no-pager', '-n', '1'], { encoding: 'utf8' }).stdout.trimEnd() === last,
        60_000,
        'the last entry to be stored',
      );
    },
    async read(identifier) {
      const start = performance.now();
      const out = spawnSync('journalctl', ['-o', 'json', `SYSLOG_IDENTIFIER=${identifier}`, '--no-pager'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const seconds = (performance.now() - start) / 1000;
      return { lines: out.stdout.split('\n').filter(Boolean), seconds };
    },
    async stop() {},
  };
}
