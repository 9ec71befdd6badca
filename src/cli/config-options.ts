import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

export function configOption(cmd: Command): Command {
  return cmd.option('-c, --config <file>', 'config file (env WATCHDOG_CONFIG)', process.env.WATCHDOG_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export function configFrom(opts: { config: string }): Config {
  return loadConfig(opts.config);
}
