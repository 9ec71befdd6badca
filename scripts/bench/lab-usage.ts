// The agents' idle figures over one window: CPU % of one core (utime+stime delta), RSS at the end,
// peak RSS, and the same for their children (journalctl) on their own line.
import { sleep } from '../../test/lab/lab.js';
import type { AgentProcess } from '../../test/support/agents.js';
import { childPids, commOf, cpuPercent, sampleProc, type ProcSample } from './proc-usage.js';

export interface AgentIdle {
  node: string;
  role: string;
  acting: boolean;
  pid: number;
  rssMiB: number;
  hwmMiB: number;
  cpu: number;
  /** Children (journalctl) that ran the whole window: summed CPU % and RSS. */
  childCpu: number;
  childRssMiB: number;
  children: string;
}

/** The node process: the agent is spawned through nsenter, which execs it (no fork without a pid namespace). */
function agentPid(a: AgentProcess): number {
  const pid = a.proc?.pid;
  if (pid === undefined) throw new Error(`agent ${a.node.name} is not running`);
  if (commOf(pid) !== 'nsenter') return pid;
  const child = childPids(pid).find((c) => commOf(c) === 'node');
  if (child === undefined) throw new Error(`agent ${a.node.name}: nsenter ${pid} has no node child`);
  return child;
}

function sampleChildren(pid: number): Map<number, ProcSample> {
  return new Map(childPids(pid).map((c) => [c, sampleProc(c)]));
}

export async function measureIdle(agents: AgentProcess[], windowMs: number): Promise<AgentIdle[]> {
  const pids = agents.map(agentPid);
  const first = pids.map((p) => ({ self: sampleProc(p), children: sampleChildren(p) }));
  const step = Math.min(60_000, windowMs);
  for (let left = windowMs; left > 0; left -= step) {
    await sleep(Math.min(step, left));
    for (const a of agents) if (a.proc?.exitCode !== null) throw new Error(`agent ${a.node.name} exited during the window (log: ${a.dump()})`);
  }
  const out: AgentIdle[] = [];
  for (const [i, a] of agents.entries()) {
    const self = sampleProc(pids[i]);
    const kids = sampleChildren(pids[i]);
    let childCpu = 0;
    let childRss = 0;
    const names: string[] = [];
    for (const [pid, end] of kids) {
      const start = first[i].children.get(pid);
      names.push(`${commOf(pid)}${start ? '' : ' (new)'}`);
      if (start) childCpu += cpuPercent(start, end);
      childRss += end.rssKiB;
    }
    const stats = (await a.get<{ acting: boolean }>('/v1/stats')).body;
    out.push({
      node: a.node.name, role: a.node.role, acting: stats.acting, pid: pids[i],
      rssMiB: self.rssKiB / 1024, hwmMiB: self.hwmKiB / 1024, cpu: cpuPercent(first[i].self, self),
      childCpu, childRssMiB: childRss / 1024, children: names.join(',') || '-',
    });
  }
  return out;
}

export function printIdle(title: string, rows: AgentIdle[], goal: { rssMiB: number; cpu: number }): void {
  console.log(`\n${title} (goals: RSS ≤ ${goal.rssMiB} MiB, CPU < ${goal.cpu} % of one core)`);
  console.log(`${'node'.padEnd(7)} ${'role'.padEnd(8)} ${'acting'.padEnd(6)} ${'RSS MiB'.padStart(8)} ${'peak'.padStart(6)} ${'CPU %'.padStart(6)}  goal  children (CPU %, RSS MiB)`);
  for (const r of rows) {
    const ok = r.rssMiB <= goal.rssMiB && r.cpu < goal.cpu ? 'met ' : 'MISS';
    console.log(
      `${r.node.padEnd(7)} ${r.role.padEnd(8)} ${(r.acting ? 'yes' : '').padEnd(6)} ${r.rssMiB.toFixed(1).padStart(8)} ${r.hwmMiB.toFixed(1).padStart(6)} ${r.cpu.toFixed(3).padStart(6)}  ${ok}  ${r.children} (${r.childCpu.toFixed(3)}, ${r.childRssMiB.toFixed(1)})`,
    );
  }
}
