import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

export function configOption(cmd: Command): Command {
  return cmd.option('-c, --config <file>', 'config file (env WATCHDOG_CONFIG)', process.env.WATCHDOG_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export function configFrom(opts: { config: string }): Config {
  return loadConfig(opts.config);
}

/** For one-shot commands: the config file when there is one, else the defaults (plus environment). */
export function configOrDefaults(opts: { config?: string }): Config {
  if (opts.config && (opts.config !== DEFAULT_CONFIG_FILE || existsSync(opts.config))) return loadConfig(opts.config);
  return parseConfig('', '(defaults)');
}
