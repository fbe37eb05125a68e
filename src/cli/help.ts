import type { Command } from 'commander';
import { ENV_OVERRIDES } from '../config/load.js';

/** The environment variables each kind of command reads (they override config.json). */
export const ENV_GROUPS = {
  abs: ['ABS_URL', 'ABS_API_KEY', 'ABS_BRIDGE_DATA_DIR', 'ABS_BRIDGE_CACHE_URL'],
  providers: ['HARDCOVER_TOKEN', 'GOOGLE_BOOKS_API_KEY', 'ABS_BRIDGE_CACHE_URL'],
  run: [
    'ABS_URL',
    'ABS_API_KEY',
    'ABS_USERNAME',
    'ABS_PASSWORD',
    'ABS_TOKEN',
    'ABS_BRIDGE_HTTP_TOKEN',
    'ABS_BRIDGE_HTTP_HOST',
    'ABS_BRIDGE_DATA_DIR',
    'ABS_BRIDGE_CACHE_URL',
    'HARDCOVER_TOKEN',
    'GOOGLE_BOOKS_API_KEY',
  ],
} as const;

/** Adds an "Environment:" block after a command's help; the config key each variable sets. */
export function withEnvHelp(command: Command, names: readonly string[]): Command {
  const lines = [...new Set(names)].map(
    (name) => `  ${name.padEnd(24)} ${ENV_OVERRIDES[name]?.join('.') ?? ''}`,
  );
  return command.addHelpText('after', `\nEnvironment (overrides config.json):\n${lines.join('\n')}\n`);
}

/** Adds examples after a command's help. */
export function withExamples(command: Command, examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}
