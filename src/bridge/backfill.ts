import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging.js';
import type { AbsItem, BridgeAbs } from './ports.js';
import type { MatchOutcome } from './service-types.js';
import type { BackfillProgress, StateStore } from './state-store.js';

export type BackfillMode = 'all' | 'unmatched';

/** Items in flight at once; above any sensible bridge.concurrency. */
const WINDOW = 128;

export interface BackfillEvent {
  itemId: string;
  done: number;
  total: number;
  outcome?: MatchOutcome;
  error?: string;
}

export interface BackfillDeps {
  abs: BridgeAbs;
  store: StateStore;
  logger: Logger;
  /** Runs the pipeline for one item (through the bridge's queue, so the concurrency applies). */
  process(itemId: string): Promise<MatchOutcome>;
  onProgress?(event: BackfillEvent): void;
  /** Attempts per item for retryable failures (ABS restarting, timeouts). @default 8 */
  maxAttempts?: number;
  /** First retry delay, doubled each time up to 8 s. @default 250 */
  retryDelayMs?: number;
}

export interface BackfillReport {
  libraryId: string;
  mode: BackfillMode;
  total: number;
  processed: number;
  /** Finished in an earlier, interrupted run and not redone. */
  resumed: number;
  failed: number;
  decisions: Record<string, number>;
}

/**
 * Matches every item (or every item the bridge has not applied) of a library. Progress is
 * persisted per item, so a run interrupted by a crash resumes without redoing finished items;
 * a finished run makes the next call start afresh. ABS going away mid-run only delays items:
 * retryable failures are retried with backoff.
 */
export async function backfill(
  deps: BackfillDeps,
  libraryId: string,
  mode: BackfillMode,
): Promise<BackfillReport> {
  const key = `${libraryId}:${mode}`;
  const ids = await listIds(deps.abs, libraryId);
  const prior = await deps.store.getBackfill(key);
  const resuming = prior !== null && !prior.finishedAt;
  const progress: BackfillProgress = resuming
    ? { ...prior, total: ids.length }
    : { key, runId: randomUUID(), startedAt: new Date().toISOString(), total: ids.length, done: 0 };
  await deps.store.putBackfill(progress);
  const runKey = `${key}:${progress.runId}`;
  const report: BackfillReport = {
    libraryId,
    mode,
    total: ids.length,
    processed: 0,
    resumed: 0,
    failed: 0,
    decisions: {},
  };
  // Finished items of an interrupted run, read in bulk (a fresh run has none).
  const finished = resuming ? await deps.store.backfilledAmong(runKey, ids) : new Set<string>();
  let done = 0;
  // A bounded window of items in flight (the queue bounds the real concurrency): one promise
  // per item for a whole library held every closure until the end and dominated the heap.
  let next = 0;
  const handle = async (itemId: string) => {
    if (finished.has(itemId)) {
      report.resumed += 1;
      done += 1;
      return;
    }
    if (mode === 'unmatched' && (await deps.store.getItem(itemId))?.decision === 'apply') {
      await deps.store.markBackfilled(runKey, itemId);
      done += 1;
      return;
    }
    const event = await runOne(deps, itemId);
    done += 1;
    if (event.outcome) {
      report.processed += 1;
      const d = event.outcome.skipped ? 'skipped' : event.outcome.decision;
      report.decisions[d] = (report.decisions[d] ?? 0) + 1;
      await deps.store.markBackfilled(runKey, itemId);
    } else report.failed += 1;
    deps.onProgress?.({ ...event, done, total: ids.length });
  };
  const workers = Array.from({ length: Math.min(WINDOW, ids.length) }, async () => {
    while (next < ids.length) await handle(ids[next++] as string);
  });
  await Promise.all(workers);
  // A run with failures stays open: the next call retries only what is not finished.
  await deps.store.putBackfill({
    ...progress,
    done,
    ...(report.failed === 0 ? { finishedAt: new Date().toISOString() } : {}),
  });
  return report;
}

async function runOne(deps: BackfillDeps, itemId: string): Promise<Omit<BackfillEvent, 'done' | 'total'>> {
  const max = deps.maxAttempts ?? 8;
  let delay = deps.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { itemId, outcome: await deps.process(itemId) };
    } catch (error) {
      if (attempt >= max || !isRetryable(error)) {
        deps.logger.warn({ itemId, err: error }, 'backfill: item failed');
        return { itemId, error: (error as Error).message };
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }
}

function isRetryable(error: unknown): boolean {
  const e = error as { retryable?: boolean; code?: string };
  if (typeof e.retryable === 'boolean') return e.retryable;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ITEM_BUSY'].includes(e.code ?? '');
}

async function listIds(abs: BridgeAbs, libraryId: string): Promise<string[]> {
  const ids: string[] = [];
  const limit = 500;
  for (let page = 0; ; page += 1) {
    const res = await abs.listLibraryItems(libraryId, { page, limit, sort: 'addedAt' });
    ids.push(...res.results.filter((i: AbsItem) => !i.isMissing).map((i) => i.id));
    if (res.results.length < limit || (page + 1) * limit >= res.total) return ids;
  }
}
