import type { Command } from 'commander';

/** `abs-bridge match|undo|review` — implemented with the bridge. */
export function registerMatchCommands(program: Command): void {
  program.command('match').description('Re-match ABS items (by id, or a whole library)');
}
