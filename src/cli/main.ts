#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { BridgeError, ConfigError } from '../errors.js';
import { registerCacheCommand } from './commands/cache.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerExportCommand } from './commands/export.js';
import { registerIdentifyCommand } from './commands/identify.js';
import { registerMatchCommands } from './commands/match.js';
import { registerRunCommand } from './commands/run.js';

export function buildProgram(): Command {
  const program = new Command('abs-bridge')
    .description(
      'Audiobookshelf metadata bridge: many providers, merged with provenance, written back safely.',
    )
    .option('-c, --config <file>', 'config file (default: ./config.json when present)')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent')
    .showHelpAfterError();
  registerIdentifyCommand(program);
  registerMatchCommands(program);
  registerExportCommand(program);
  registerRunCommand(program);
  registerDoctorCommand(program);
  registerCacheCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    const message =
      error instanceof BridgeError ? `${error.code}: ${error.message}` : (error as Error).message;
    process.stderr.write(`abs-bridge: ${message}\n`);
    return 1;
  }
}

/** True when this file is the process entry point, also through npm's `bin` symlink. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

const isEntry = isEntryPoint();
if (isEntry) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`abs-bridge: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
