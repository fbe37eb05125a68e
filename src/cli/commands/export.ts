import type { Command } from 'commander';

/** `abs-bridge export` — implemented with the exporters. */
export function registerExportCommand(program: Command): void {
  program.command('export').description('Write metadata.json, OPF, NFO, CUE, M3U or Markdown for a folder');
}
