import type { Command } from 'commander';
import { connectAbs } from '../../app/service.js';
import { duplicateGroups, formatGroup } from '../../bridge/tidy.js';
import { ValidationError } from '../../errors.js';
import { loadCliEnv, printJsonLine } from '../context.js';

/** `abs-bridge tidy --report --library <id>`: duplicate authors, narrators and series, with a merge plan. */
export function registerTidyCommand(program: Command): void {
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
