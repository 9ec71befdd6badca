// A stand-in for journalctl scripted per run, for the journal adapter's tests (a real child process).
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for journalctl scripted per run: run N prints runN.out, then either fails with
 * runN.err on stderr (exit 1) or ends (exit 0) when runN.end exists, or follows until killed.
 */
export function scriptedJournalctl(runs: Array<{ out: string[]; err?: string; end?: boolean }>) {
  const dir = mkdtempSync(join(tmpdir(), 'wdg-jresume-'));
  runs.forEach((r, i) => {
    writeFileSync(join(dir, `run${i + 1}.out`), r.out.map((l) => `${l}\n`).join(''));
    if (r.err) writeFileSync(join(dir, `run${i + 1}.err`), `${r.err}\n`);
    if (r.end) writeFileSync(join(dir, `run${i + 1}.end`), '');
  });
  const command = join(dir, 'journalctl');
  writeFileSync(command, `#!/bin/sh
echo "$*" >> ${dir}/args
run=$(wc -l < ${dir}/args)
[ -f ${dir}/run$run.out ] && cat ${dir}/run$run.out
if [ -f ${dir}/run$run.err ]; then cat ${dir}/run$run.err >&2; exit 1; fi
[ -f ${dir}/run$run.end ] && exit 0
exec sleep 60
`);
  chmodSync(command, 0o755);
  return { command, args: () => (existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim().split('\n') : []) };
}

export const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};
