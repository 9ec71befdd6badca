import type { Command } from 'commander';
import { maskedConfig } from '../config/load.js';
import { configFrom, configOption } from './config-options.js';
import { print, printJson, printYaml } from './output.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  configOption(config.command('check'))
    .description('validate the config file, environment overrides and secret files; print the effective config')
    .option('--json', 'print JSON')
    .action((opts: { config: string; json?: boolean }) => {
      const effective = maskedConfig(configFrom(opts)); // throws ConfigError (exit 78) listing every problem
      if (opts.json) return printJson({ ok: true, config: effective });
      print('OK');
      printYaml(effective);
    });
}
