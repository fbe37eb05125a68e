import type { Command } from 'commander';
import { MetadataCache } from '../../cache/metadata-cache.js';
import { cacheUrlOf } from '../../config/load.js';
import { SCHEMA_VERSION } from '../../domain/versioning.js';
import { loadCliEnv, printJsonLine } from '../context.js';

/** Opens the configured cache for one command and always closes it. */
async function withCache<T>(
  command: Command,
  work: (cache: MetadataCache, url: string) => Promise<T>,
): Promise<T> {
  const { config, logger } = loadCliEnv(command);
  const url = cacheUrlOf(config);
  const cache = new MetadataCache(url, { logger: logger.child({ module: 'cache' }) });
  try {
    return await work(cache, url);
  } finally {
    await cache.close();
  }
}

/** Redacts a password in a redis:// URL before printing it. */
function displayUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** `abs-bridge cache stats|clear|invalidate <pattern>`. */
export function registerCacheCommand(program: Command): void {
  const cache = program
    .command('cache')
    .description('Inspect or clear the provider cache (stats | clear | invalidate <pattern>)');

  cache
    .command('stats')
    .description('backend, entries per provider and schema version, not-found entries, size')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const stats = await withCache(command, async (c, url) => ({
        url: displayUrl(url),
        ...(await c.stats()),
      }));
      if (opts.json) return printJsonLine(stats);
      const lines = [
        `cache: ${stats.backend} (${stats.url})`,
        `entries: ${stats.entries} (${stats.negative} not-found)${stats.sizeBytes === undefined ? '' : `, ${(stats.sizeBytes / 1024).toFixed(1)} KiB on disk`}`,
        ...Object.entries(stats.byProvider)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([provider, n]) => `  ${provider.padEnd(20)} ${n}`),
        ...Object.entries(stats.bySchemaVersion)
          .filter(([v]) => v !== SCHEMA_VERSION)
          .map(
            ([v, n]) => `  ${n} entries of schema ${v} (migrated on read, or run: cache invalidate '${v}:*')`,
          ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  cache
    .command('clear')
    .description('remove every cached provider answer (bridge state in the same store is kept)')
    .action(async (_opts: unknown, command: Command) => {
      const removed = await withCache(command, async (c) => {
        const before = (await c.stats()).entries;
        await c.clear();
        return before;
      });
      process.stdout.write(`cleared ${removed} entries\n`);
    });

  cache
    .command('invalidate <pattern>')
    .description(
      `remove keys matching a pattern; keys are ${SCHEMA_VERSION}:provider:idType:identifier:region, * matches anything`,
    )
    .addHelpText(
      'after',
      `\nExamples:\n  abs-bridge cache invalidate '${SCHEMA_VERSION}:audnexus:*'\n  abs-bridge cache invalidate '*:asin:B08G9PRS1K:*'`,
    )
    .action(async (pattern: string, _opts: unknown, command: Command) => {
      const removed = await withCache(command, (c) => c.invalidatePattern(pattern));
      process.stdout.write(`removed ${removed} entries matching ${pattern}\n`);
    });
}
