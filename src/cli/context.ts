import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../logging.js';

/** Global options every command shares. */
export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

export interface CliEnv {
  config: Config;
  logger: Logger;
}

/** Loads config and the root logger for a command (logs go to stderr; stdout is for results). */
export function loadCliEnv(command: Command): CliEnv {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig(globals.config ? { path: globals.config } : {});
  const logger = createLogger({ level: globals.logLevel ?? config.logging.level });
  return { config, logger };
}

/** Writes one JSON value per line to stdout. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
