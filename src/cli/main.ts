import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, ExitError, ConfigError } from '../errors.js';
import { registerAgent } from './agent.js';
import { registerConfig } from './config-check.js';
import { registerDiagnose } from './diagnose.js';
import { registerRebalance } from './rebalance.js';
import { registerSummary } from './summary.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('watchdog')
    .description('Docker Swarm node-health watchdog and rebalancer')
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride(); // inherited by every command registered below: usage errors come back to main()
  registerConfig(program);
  registerAgent(program);
  registerDiagnose(program);
  registerRebalance(program);
  registerSummary(program);
  return program;
}

/** The one place errors become exit codes. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ConfigError) {
      process.stderr.write(`config: ${err.problems.length} problem(s) [${err.code}]\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return err.exitCode;
    }
    if (err instanceof ExitError) {
      process.stderr.write(`${err.message}${err.code ? ` [${err.code}]` : ''}\n`);
      return err.exitCode;
    }
    process.stderr.write(`watchdog: internal error, this is a bug [WDG-CLI-001]: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}
