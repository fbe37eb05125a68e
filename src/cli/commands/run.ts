import type { Command } from 'commander';

/** `abs-bridge run` — implemented with the bridge and the service. */
export function registerRunCommand(program: Command): void {
  program.command('run').description('Run the bridge: socket listener, catch-up, HTTP server');
}
