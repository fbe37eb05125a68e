import type { Command } from 'commander';

/** `abs-bridge cache stats|clear|invalidate <pattern>` — implemented with the provider boundary. */
export function registerCacheCommand(program: Command): void {
  program
    .command('cache')
    .description('Inspect or clear the provider cache (stats | clear | invalidate <pattern>)');
}
