import type { Command } from 'commander';

/** `abs-bridge doctor` — implemented with the service. */
export function registerDoctorCommand(program: Command): void {
  program.command('doctor').description('Check config, ABS, socket auth, path mapping, providers and cache');
}
