import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createBridge } from '../../app/bridge.js';
import { createRuntime } from '../../app/runtime.js';
import { connectAbs } from '../../app/service.js';
import type { Bridge } from '../../bridge/index.js';
import type { MatchHint } from '../../bridge/service/types.js';
import type { BackfillEvent } from '../../bridge/triggers/backfill.js';
import { ValidationError } from '../../errors.js';
import { loadCliEnv, printJsonLine } from '../context.js';
import { formatBackfill, formatOutcome, formatReviewEntry, formatUndo } from '../format.js';

interface MatchOptions {
  title?: string;
  author?: string;
  asin?: string;
  refresh?: boolean;
  dryRun?: boolean;
  json?: boolean;
  library?: string;
  all?: boolean;
  unmatched?: boolean;
  incomplete?: boolean;
  below?: string;
}

/** Builds a bridge without the socket (the CLI acts on request) and always closes it. */
async function withBridge<T>(command: Command, fn: (bridge: Bridge) => Promise<T>): Promise<T> {
  const { config, logger } = loadCliEnv(command);
  const runtime = await createRuntime(config, logger);
  const { abs } = connectAbs(config, logger);
  const bridge = await createBridge({ runtime, abs, logger }).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  try {
    return await fn(bridge);
  } finally {
    await bridge.stop();
    await runtime.close();
  }
}

/** `abs-bridge match|undo|review`. */
export function registerMatchCommands(program: Command): void {
  program
    .command('match')
    .description('Re-match ABS items by id, or a whole library (--library with --all or --unmatched)')
    .argument('[itemIds...]', 'ABS library item ids')
    .option('--title <title>', 'search with this title instead of the one in ABS')
    .option('--author <name>', 'search with this author instead of the one in ABS')
    .option('--asin <asin>', 'match the Audible edition with this ASIN')
    .option('--refresh', 'bypass provider caches')
    .option('--dry-run', 'print the per-field diff (old → new, provider, confidence); write nothing')
    .option('--json', 'one JSON object per item')
    .option('--library <id>', 'backfill a library')
    .option('--all', 'with --library: every item')
    .option('--unmatched', 'with --library: items the bridge has not applied yet')
    .option(
      '--incomplete',
      'with --library: books whose metadata is incomplete (see `abs-bridge completeness`)',
    )
    .option('--below <score>', 'with --incomplete: books scoring below this (0–100)', '100')
    .action(async (itemIds: string[], options: MatchOptions, command: Command) => {
      if (options.library) return backfillCommand(command, options);
      if (itemIds.length === 0)
        throw new ValidationError('match', ['give item ids, or --library <id> with --all or --unmatched']);
      const hint = hintOf(options);
      if (hint && itemIds.length > 1)
        throw new ValidationError('match', ['--title, --author and --asin apply to one item id at a time']);
      await withBridge(command, async (bridge) => {
        for (const itemId of itemIds) {
          const outcome = await bridge.rematch(itemId, {
            ...(options.refresh ? { refresh: true } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
            ...(hint ? { hint } : {}),
          });
          if (options.json) printJsonLine(outcome);
          else process.stdout.write(`${formatOutcome(outcome)}\n`);
        }
      });
    });

  program
    .command('undo')
    .description(
      'Restore the values the bridge overwrote on an item (fields a person changed since are kept)',
    )
    .argument('<itemId>', 'an ABS library item id')
    .option('--json', 'print JSON')
    .action(async (itemId: string, options: { json?: boolean }, command: Command) => {
      await withBridge(command, async (bridge) => {
        const outcome = await bridge.undo(itemId);
        if (options.json) printJsonLine(outcome);
        else process.stdout.write(`${formatUndo(outcome)}\n`);
      });
    });

  program
    .command('waiting')
    .description('Items left waiting because a provider the decision depends on was down')
    .option('--json', 'one JSON object per item')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withBridge(command, async (bridge) => {
        const items = await bridge.listWaiting();
        if (options.json) for (const r of items) printJsonLine(r);
        else
          process.stdout.write(
            items.length === 0
              ? 'no item is waiting for a provider\n'
              : `${items.map((r) => `${r.itemId}  ${r.title ?? '(untitled)'}  ${r.reason ?? ''}`).join('\n')}\n`,
          );
      });
    });

  const review = program.command('review').description('Items waiting for a person: list, approve, reject');
  review
    .command('list')
    .description('Items waiting for review: id, title, confidence and why the bridge was unsure')
    .option('--json', 'one JSON object per item')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withBridge(command, async (bridge) => {
        const items = await bridge.listReview();
        if (options.json) for (const r of items) printJsonLine(r);
        else
          process.stdout.write(
            items.length === 0 ? 'review queue is empty\n' : `${items.map(formatReviewEntry).join('\n')}\n`,
          );
      });
    });
  review
    .command('approve')
    .description('Write the merged match (or --candidate n) to ABS for an item in review')
    .argument('<itemId>', 'an id from `abs-bridge review list`')
    .option('--candidate <n>', 'apply candidate n (see review list) instead of the merged match')
    .option('--json', 'print JSON')
    .action(async (itemId: string, options: { candidate?: string; json?: boolean }, command: Command) => {
      const index = options.candidate === undefined ? undefined : Number(options.candidate);
      if (index !== undefined && (!Number.isInteger(index) || index < 0))
        throw new ValidationError('review approve', [
          `--candidate must be a whole number ≥ 0, got "${options.candidate}"`,
        ]);
      await withBridge(command, async (bridge) => {
        const outcome = await bridge.approve(itemId, index);
        if (options.json) printJsonLine(outcome);
        else process.stdout.write(`${formatOutcome(outcome)}\n`);
      });
    });
  review
    .command('reject')
    .description(
      'Take an item out of review and write nothing; `abs-bridge match <itemId>` tries again later',
    )
    .argument('<itemId>', 'an id from `abs-bridge review list`')
    .action(async (itemId: string, _options: unknown, command: Command) => {
      await withBridge(command, async (bridge) => {
        await bridge.reject(itemId);
        process.stdout.write(`${itemId}: rejected\n`);
      });
    });
}

/** A person's search terms for one item, when any were given. */
function hintOf(options: MatchOptions): MatchHint | undefined {
  if (options.asin !== undefined && !ASIN.test(options.asin))
    throw new ValidationError('match', [
      `--asin must be 10 letters or digits (like B08G9PRS1K), got "${options.asin}"`,
    ]);
  const hint: MatchHint = {
    ...(options.title ? { title: options.title } : {}),
    ...(options.author ? { author: options.author } : {}),
    ...(options.asin ? { asin: options.asin.toUpperCase() } : {}),
  };
  return Object.keys(hint).length > 0 ? hint : undefined;
}

const ASIN = /^[A-Za-z0-9]{10}$/;

async function backfillCommand(command: Command, options: MatchOptions): Promise<void> {
  const modes = (['all', 'unmatched', 'incomplete'] as const).filter((m) => options[m]);
  if (modes.length !== 1)
    throw new ValidationError('match --library', ['give exactly one of --all, --unmatched or --incomplete']);
  const mode = modes[0] as 'all' | 'unmatched' | 'incomplete';
  const below = Number(options.below ?? 100);
  if (!Number.isFinite(below) || below < 0 || below > 100)
    throw new ValidationError('match --library', [
      `--below must be a number from 0 to 100, got "${options.below}"`,
    ]);
  const tty = process.stderr.isTTY && !options.json;
  const bar = tty
    ? new SingleBar(
        { format: ' {bar} {value}/{total} items | {eta_formatted} left | {item}' },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const onProgress = (e: BackfillEvent) => {
    if (bar) {
      if (!started) bar.start(e.total, 0, { item: '' });
      started = true;
      bar.update(e.done, { item: e.itemId });
    } else
      printJsonLine({
        itemId: e.itemId,
        done: e.done,
        total: e.total,
        ...(e.outcome
          ? {
              decision: e.outcome.skipped ? 'skipped' : e.outcome.decision,
              changed: e.outcome.changes.map((c) => c.field),
            }
          : {}),
        ...(e.error ? { error: e.error } : {}),
      });
  };
  await withBridge(command, async (bridge) => {
    const report = await bridge.backfill(options.library as string, mode, onProgress, {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(mode === 'incomplete' ? { incompleteBelow: below } : {}),
    });
    bar?.stop();
    if (options.json || !tty) printJsonLine({ summary: report });
    else process.stdout.write(`${formatBackfill(report)}\n`);
    if (report.failed > 0) process.exitCode = 1;
  });
}
