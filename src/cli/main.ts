#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../errors.js';
import { registerCacheCommand } from './commands/cache.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerExportCommand } from './commands/export.js';
import { registerIdentifyCommand } from './commands/identify.js';
import { registerLibraryCommands } from './commands/library.js';
import { registerMatchCommands } from './commands/match.js';
import { registerRunCommand } from './commands/run.js';
import { registerTidyCommand } from './commands/tidy.js';
import type { GlobalOptions } from './context.js';
import { explainError } from './errors.js';
import { ENV_GROUPS, withEnvHelp } from './help.js';

/** The package version, read from package.json beside `src/` or `dist/`. */
function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Which environment variables each command reads; shown under its --help. */
const COMMAND_ENV: Record<string, readonly string[]> = {
  identify: ENV_GROUPS.providers,
  export: ENV_GROUPS.providers,
  match: [...ENV_GROUPS.abs, ...ENV_GROUPS.providers],
  undo: ENV_GROUPS.abs,
  waiting: ENV_GROUPS.abs,
  review: [...ENV_GROUPS.abs, ...ENV_GROUPS.providers],
  run: ENV_GROUPS.run,
  doctor: ENV_GROUPS.run,
  cache: ['ABS_BRIDGE_CACHE_URL', 'ABS_BRIDGE_DATA_DIR'],
  completeness: ENV_GROUPS.abs,
  genres: ENV_GROUPS.abs,
  tidy: ENV_GROUPS.abs,
};

export function buildProgram(): Command {
  const program = new Command('abs-bridge')
    .description(
      'Audiobookshelf metadata bridge: many providers, merged with provenance, written back safely.',
    )
    .option('-c, --config <file>', 'config file (default: ./config.json when present)')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent (debug also prints stack traces)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    // Set before the subcommands exist so they inherit it: `sub --help` returns instead of exiting.
    .exitOverride()
    .action(() => {
      // No command: the overview, not an error.
      program.outputHelp();
    });
  registerIdentifyCommand(program);
  registerMatchCommands(program);
  registerExportCommand(program);
  registerRunCommand(program);
  registerTidyCommand(program);
  registerDoctorCommand(program);
  registerCacheCommand(program);
  registerLibraryCommands(program);
  withEnvHelp(program, ENV_GROUPS.run);
  for (const command of program.commands) {
    const names = COMMAND_ENV[command.name()];
    if (!names) continue;
    withEnvHelp(command, names);
    for (const sub of command.commands) withEnvHelp(sub, names);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`abs-bridge: ${explainError(error)}\n`);
    // The stack is for whoever debugs: only at --log-level debug or trace.
    const level = program.opts<GlobalOptions>().logLevel;
    if (level === 'debug' || level === 'trace') process.stderr.write(`${(error as Error).stack ?? ''}\n`);
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
      process.stderr.write(`abs-bridge: ${explainError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
