import type { Command } from 'commander';
import type { AbsLibraryItem } from '../../abs/schemas.js';
import { connectAbs } from '../../app/service.js';
import { ValidationError } from '../../errors.js';
import { loadCliEnv, printJsonLine } from '../context.js';
import { ENV_GROUPS, withEnvHelp, withExamples } from '../help.js';

/** The ABS REST client for a one-shot command (no socket, no bridge). */
function absFor(command: Command) {
  const { config, logger } = loadCliEnv(command);
  return connectAbs(config, logger).abs;
}

const pad = (value: string, width: number) => value.padEnd(width);

/** `abs-bridge libraries` and `abs-bridge items`: find the ids the other commands take. */
export function registerLibraryCommands(program: Command): void {
  const libraries = program
    .command('libraries')
    .description('List the book libraries in ABS: id, name, number of items')
    .option('--json', 'one JSON object per library')
    .action(async (options: { json?: boolean }, command: Command) => {
      const abs = absFor(command);
      const list = await abs.listLibraries();
      const rows = await Promise.all(
        list.map(async (l) => ({
          id: l.id,
          name: l.name,
          items: (await abs.listLibraryItems(l.id, { limit: 1 })).total,
        })),
      );
      if (options.json) for (const row of rows) printJsonLine(row);
      else if (rows.length === 0)
        process.stdout.write('ABS has no book library (podcast libraries are not listed)\n');
      else {
        const width = Math.max(...rows.map((r) => r.id.length));
        for (const r of rows) process.stdout.write(`${pad(r.id, width)}  ${r.name}  (${r.items} items)\n`);
      }
    });
  withEnvHelp(libraries, ENV_GROUPS.abs);

  const items = program
    .command('items')
    .description("List a library's items with their ids (newest first); --search filters by title or author")
    .requiredOption('--library <id>', 'library id (see `abs-bridge libraries`)')
    .option('--search <text>', 'only items whose title, author or narrator contains this text')
    .option('--limit <n>', 'at most this many items', '50')
    .option('--json', 'one JSON object per item')
    .action(async (options: { library: string; search?: string; limit: string; json?: boolean }, command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new ValidationError('items', [`--limit must be a whole number ≥ 1, got "${options.limit}"`]);
      const abs = absFor(command);
      const needle = options.search?.toLowerCase();
      const found: AbsLibraryItem[] = [];
      for await (const item of abs.iterateLibraryItems(options.library, { sort: 'addedAt', desc: true })) {
        if (!needle || haystack(item).includes(needle)) found.push(item);
        if (found.length >= limit) break;
      }
      if (options.json) for (const item of found) printJsonLine(summary(item));
      else if (found.length === 0)
        process.stdout.write(needle ? `no item matches "${options.search}"\n` : 'the library is empty\n');
      else for (const item of found) process.stdout.write(`${line(item)}\n`);
    });
  withExamples(items, [
    'abs-bridge items --library lib_01 --search "hail mary"',
    'abs-bridge match $(abs-bridge items --library lib_01 --search weir --json | jq -r .id)',
  ]);
  withEnvHelp(items, ENV_GROUPS.abs);
}

function haystack(item: AbsLibraryItem): string {
  const m = item.media.metadata;
  return [m.title, m.subtitle, m.authorName, m.narratorName, m.seriesName]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function summary(item: AbsLibraryItem) {
  const m = item.media.metadata;
  return { id: item.id, title: m.title ?? null, authors: m.authorName ?? null, asin: m.asin ?? null };
}

function line(item: AbsLibraryItem): string {
  const m = item.media.metadata;
  return `${item.id}  ${m.title ?? '(untitled)'}${m.authorName ? ` — ${m.authorName}` : ''}`;
}
