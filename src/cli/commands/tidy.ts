import type { Command } from 'commander';
import { connectAbs } from '../../app/service.js';
import { genreChange } from '../../bridge/pipeline/genre-rules.js';
import { configForLibrary } from '../../bridge/pipeline/library-policy.js';
import { type Completeness, completenessOf, summarize } from '../../bridge/reports/completeness.js';
import { duplicateGroups, formatGroup } from '../../bridge/reports/tidy.js';
import { openRuntimeSettings, withRuntimeSettings } from '../../bridge/state/runtime-settings.js';
import { ValidationError } from '../../errors.js';
import { loadCliEnv, printJsonLine } from '../context.js';

/**
 * `abs-bridge tidy --report --library <id>`: duplicate authors, narrators and series, with a merge
 * plan. `abs-bridge genres --preview --library <id>`: what the genre rules would change.
 */
export function registerTidyCommand(program: Command): void {
  program
    .command('completeness')
    .description(
      "How complete each book's metadata is: a 0–100 score, missing and weak fields, and a library summary",
    )
    .requiredOption('--library <id>', 'ABS library id (see `abs-bridge libraries`)')
    .option('--below <score>', 'list only books scoring below this (0–100)', '100')
    .option('--json', 'one JSON object per book, then the summary')
    .action(async (options: { library: string; below: string; json?: boolean }, command: Command) => {
      const below = Number(options.below);
      if (!Number.isFinite(below) || below < 0 || below > 100)
        throw new ValidationError('completeness', [
          `--below must be a number from 0 to 100, got "${options.below}"`,
        ]);
      const { config, logger } = loadCliEnv(command);
      const { abs } = connectAbs(config, logger);
      const all: Completeness[] = [];
      for await (const item of abs.iterateLibraryItems(options.library, { limit: 500 }))
        if (!item.isMissing) all.push(completenessOf(item));
      const listed = all.filter((c) => c.score < below).sort((a, b) => a.score - b.score);
      const summary = summarize(all);
      if (options.json) {
        for (const c of listed) printJsonLine(c);
        printJsonLine({ summary });
        return;
      }
      for (const c of listed) {
        const weak = c.weak.length ? `; weak: ${c.weak.join(', ')}` : '';
        process.stdout.write(
          `${String(c.score).padStart(3)}%  ${c.title ?? c.itemId} — missing: ${c.missing.join(', ') || 'nothing'}${weak}\n`,
        );
      }
      const top = Object.entries(summary.missing)
        .slice(0, 5)
        .map(([f, n]) => `${f} ${n}`)
        .join(', ');
      process.stdout.write(
        `${summary.books} books, average ${summary.averageScore}%, ${summary.complete} complete${top ? `; most missing: ${top}` : ''}\n` +
          '(match --library <id> --incomplete fills them)\n',
      );
    });

  program
    .command('genres')
    .description(
      "Preview the genre and tag rules (config `genres`) over a library's books: what each book's genres would become (changes nothing)",
    )
    .requiredOption('--library <id>', 'ABS library id (see `abs-bridge libraries`)')
    .option('--preview', 'show the changes (the only mode: nothing is changed)')
    .option('--json', 'one JSON object per changed book')
    .action(async (options: { library: string; preview?: boolean; json?: boolean }, command: Command) => {
      if (!options.preview)
        throw new ValidationError('genres', ['give --preview (the rules are applied by matches)']);
      const { config, logger } = loadCliEnv(command);
      const { abs } = connectAbs(config, logger);
      // The rules in effect for this library: config.json's with the page's (settings.json) on top.
      const rules = configForLibrary(
        withRuntimeSettings(config, openRuntimeSettings(config.dataDir)),
        options.library,
      ).genres;
      let books = 0;
      let changed = 0;
      for await (const item of abs.iterateLibraryItems(options.library, { limit: 500 })) {
        books += 1;
        const change = genreChange(item, rules);
        if (!change) continue;
        changed += 1;
        const row = {
          itemId: item.id,
          title: change.title,
          genres: change.genres.before,
          ruled: change.genres.after,
          tags: change.tags.after,
        };
        if (options.json) printJsonLine(row);
        else
          process.stdout.write(
            `${row.title ?? item.id}: ${row.genres.join(', ') || '∅'} → ${row.ruled.join(', ') || '∅'}\n`,
          );
      }
      const state = rules.enabled ? 'on' : 'off (turn on with genres.enabled)';
      if (options.json) printJsonLine({ summary: { books, changed, rules: rules.enabled } });
      else process.stdout.write(`${changed} of ${books} books would change; rules are ${state}\n`);
    });

  program
    .command('tidy')
    .description(
      'Report the authors, narrators and series a library holds in several spellings, with a dry-run merge plan (changes nothing)',
    )
    .requiredOption('--library <id>', 'ABS library id (see `abs-bridge libraries`)')
    .option('--report', 'print the duplicates and the merge plan (the only mode: nothing is changed)')
    .option('--json', 'one JSON object per group')
    .action(async (options: { library: string; report?: boolean; json?: boolean }, command: Command) => {
      if (!options.report)
        throw new ValidationError('tidy', ['give --report (tidy only reports; it changes nothing)']);
      const { config, logger } = loadCliEnv(command);
      const { abs } = connectAbs(config, logger);
      const groups = duplicateGroups(await abs.getLibraryPeople(options.library), config.bridge.aliases);
      if (options.json) for (const g of groups) printJsonLine(g);
      else
        process.stdout.write(
          groups.length === 0
            ? 'no author, narrator or series is held in two spellings\n'
            : `${groups.map(formatGroup).join('\n')}\n(dry run: nothing changed; rename each merged name to the kept one in ABS to merge)\n`,
        );
    });
}
