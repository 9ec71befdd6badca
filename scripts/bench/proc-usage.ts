// A process's CPU time and memory from /proc, for the lab's idle figures: VmRSS and VmHWM from
// /proc/<pid>/status, utime+stime from /proc/<pid>/stat (clock ticks), children from /proc/<pid>/task/*/children.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcSample {
  pid: number;
  /** Wall clock, ms. */
  at: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  rssKiB: number;
  /** Peak RSS so far. */
  hwmKiB: number;
}

function statusKiB(status: string, field: string, pid: number): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!m) throw new Error(`/proc/${pid}/status has no ${field} line (is ${pid} a kernel thread or gone?)`);
  return Number(m[1]);
}

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in (…) may hold spaces; fields after it start at field 3 (state).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`/proc/${pid}/stat: no utime/stime in '${stat.slice(0, 120)}'`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { pid, at: Date.now(), cpuTicks: utime + stime, rssKiB: statusKiB(status, 'VmRSS', pid), hwmKiB: statusKiB(status, 'VmHWM', pid) };
}

/** CPU between two samples of one process, as % of one core. */
export function cpuPercent(a: ProcSample, b: ProcSample): number {
  const seconds = (b.at - a.at) / 1000;
  return seconds > 0 ? ((b.cpuTicks - a.cpuTicks) / CLK_TCK / seconds) * 100 : 0;
}

export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

export function commOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}
