import type { Command } from 'commander';
import { createRuntime } from '../../app/runtime.js';
import { cacheWritable } from '../../app/service.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { createLogger, type Logger } from '../../logging.js';
import type { GlobalOptions } from '../context.js';
import { type CheckResult, checkAbsAll, checkProviders } from './doctor-checks.js';

const MARK = { ok: '✔', warn: '!', fail: '✖' } as const;

/** One line per check: mark, name, detail, and for failures the fix. */
export function formatCheck(r: CheckResult): string {
  const fix = r.fix && r.status !== 'ok' ? `\n    → ${r.fix}` : '';
  return `${MARK[r.status]} ${r.name}: ${r.detail}${fix}`;
}

/** Cache writable: a probe value written through the configured cache reads back. */
async function checkCache(config: Config, logger: Logger): Promise<CheckResult> {
  const name = 'cache writable';
  try {
    const runtime = await createRuntime(config, logger);
    try {
      const writable = await cacheWritable(runtime)();
      return writable
        ? { name, status: 'ok', detail: runtime.cache.backend }
        : {
            name,
            status: 'fail',
            detail: `${runtime.cache.backend}: probe did not read back`,
            fix: 'check cache.url and permissions of dataDir',
          };
    } finally {
      await runtime.close();
    }
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: (error as Error).message,
      fix: 'check cache.url and that dataDir is writable',
    };
  }
}

/** Runs every check, writing each line as it completes; resolves to all results. */
export async function runDoctor(
  config: Config,
  logger: Logger,
  write: (line: string) => void,
  timeoutMs = 8000,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [{ name: 'config', status: 'ok', detail: 'valid' }];
  write(formatCheck(results[0]!));
  const groups = [
    checkAbsAll(config, logger, timeoutMs),
    checkProviders(config, timeoutMs),
    checkCache(config, logger).then((r) => [r]),
  ];
  for (const group of groups) {
    for (const r of await group) {
      results.push(r);
      write(formatCheck(r));
    }
  }
  return results;
}

/** `abs-bridge doctor`: exit 0 when nothing failed (warnings allowed), 1 otherwise, 2 on bad config. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check config, ABS, API key, socket auth, path mapping, providers and cache')
    .option('--timeout <ms>', 'per-check timeout', '8000')
    .action(async (opts: { timeout: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const write = (line: string) => process.stdout.write(`${line}\n`);
      let config: Config;
      try {
        config = loadConfig(globals.config ? { path: globals.config } : {});
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const issue of error.issues)
          write(formatCheck({ name: 'config', status: 'fail', detail: issue }));
        process.exitCode = 2;
        return;
      }
      const logger = createLogger({ level: globals.logLevel ?? 'error' });
      const results = await runDoctor(config, logger, write, Number(opts.timeout) || 8000);
      const failed = results.filter((r) => r.status === 'fail').length;
      write(failed ? `\n${failed} check(s) failed.` : '\nAll checks passed.');
      process.exitCode = failed ? 1 : 0;
    });
}
