import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging.js';
import type { AbsItem, BridgeAbs } from '../ports.js';
import { completenessOf } from '../reports/completeness.js';
import type { MatchOutcome } from '../service/types.js';
import type { BackfillProgress, StateStore } from '../state/state-store.js';

/** `incomplete`: books whose completeness score is below `incompleteBelow` (completeness.ts). */
export type BackfillMode = 'all' | 'unmatched' | 'incomplete';

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
  /** A dry run: every item is matched and reported, nothing is stored (no progress, no resume). */
  dryRun?: boolean;
  /** With mode `incomplete`: books scoring below this (0–100). @default 100 (anything missing) */
  incompleteBelow?: number;
  onProgress?(event: BackfillEvent): void;
  /** Attempts per item for retryable failures (ABS restarting, timeouts). @default 8 */
  maxAttempts?: number;
  /** First retry delay, doubled each time up to 8 s. @default 250 */
  retryDelayMs?: number;
  /** How long the run waits for an unreachable ABS before giving up on the items. @default 30 min */
  maxAbsOutageMs?: number;
  /** Stops the run: checked before each item is started (items already running finish). */
  signal?: AbortSignal;
  /**
   * Items started at once (read before each item); the bridge passes its queue's concurrency
   * with a signal, so items do not wait in the queue past a stop. @default 128
   */
  window?: () => number;
  /**
   * Items about to start, read in batches ahead of their pipelines (item-reads.ts), `size` at a
   * time (the bridge passes its queue's concurrency).
   */
  readAhead?: { read(ids: readonly string[]): void; size(): number };
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
  /** True when nothing was written (ABS, files, the bridge's state). */
  dryRun: boolean;
  /** Stopped through the signal before every item was started; the run stays resumable. */
  stopped?: boolean;
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
  const below = deps.incompleteBelow ?? 100;
  const ids = await listIds(
    deps.abs,
    libraryId,
    (i) => mode !== 'incomplete' || completenessOf(i).score < below,
  );
  const dryRun = Boolean(deps.dryRun);
  // A dry run neither resumes an interrupted run nor leaves progress of its own behind.
  const prior = dryRun ? null : await deps.store.getBackfill(key);
  const resuming = prior !== null && !prior.finishedAt;
  const progress: BackfillProgress = resuming
    ? { ...prior, total: ids.length }
    : { key, runId: randomUUID(), startedAt: new Date().toISOString(), total: ids.length, done: 0 };
  if (!dryRun) await deps.store.putBackfill(progress);
  const runKey = `${key}:${progress.runId}`;
  const report: BackfillReport = {
    libraryId,
    mode,
    total: ids.length,
    processed: 0,
    resumed: 0,
    failed: 0,
    decisions: {},
    dryRun,
  };
  // Finished items of an interrupted run, read in bulk (a fresh run has none).
  const finished = resuming ? await deps.store.backfilledAmong(runKey, ids) : new Set<string>();
  let done = 0;
  const absBack = absWaiter(deps);
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
      if (!dryRun) await deps.store.markBackfilled(runKey, itemId);
      done += 1;
      return;
    }
    const event = await runOne(deps, itemId, absBack);
    done += 1;
    if (event.outcome) {
      report.processed += 1;
      const d = event.outcome.skipped ? 'skipped' : event.outcome.decision;
      report.decisions[d] = (report.decisions[d] ?? 0) + 1;
      if (!dryRun) await deps.store.markBackfilled(runKey, itemId);
    } else report.failed += 1;
    deps.onProgress?.({ ...event, done, total: ids.length });
  };
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let aheadTo = 0;
  // Up to one and a half reads' worth ahead: the next batch is on its way before this one is used up.
  const readAhead = (from: number) => {
    if (!deps.readAhead) return;
    const size = Math.max(1, deps.readAhead.size());
    if (from + size / 2 < aheadTo) return;
    const start = Math.max(from, aheadTo);
    aheadTo = start + size;
    deps.readAhead.read(ids.slice(start, aheadTo).filter((id) => !finished.has(id)));
  };
  const workers = Array.from({ length: Math.min(WINDOW, ids.length) }, async () => {
    while (next < ids.length && !deps.signal?.aborted) {
      if (deps.window && inFlight >= Math.max(1, deps.window())) {
        await new Promise<void>((r) => waiters.push(r));
        continue;
      }
      inFlight += 1;
      readAhead(next);
      try {
        await handle(ids[next++] as string);
      } finally {
        inFlight -= 1;
        const wake = waiters;
        waiters = [];
        for (const w of wake) w();
      }
    }
  });
  await Promise.all(workers);
  if (done < ids.length) report.stopped = true;
  if (dryRun) return report;
  // A run with failures, or stopped, stays open: the next call does only what is not finished.
  await deps.store.putBackfill({
    ...progress,
    done,
    ...(report.failed === 0 && !report.stopped ? { finishedAt: new Date().toISOString() } : {}),
  });
  return report;
}

async function runOne(
  deps: BackfillDeps,
  itemId: string,
  absBack: () => Promise<boolean>,
): Promise<Omit<BackfillEvent, 'done' | 'total'>> {
  const max = deps.maxAttempts ?? 8;
  let delay = deps.retryDelayMs ?? 250;
  for (let attempt = 1; ; ) {
    try {
      return { itemId, outcome: await deps.process(itemId) };
    } catch (error) {
      // ABS being away is not the item's fault: wait for it without spending the item's attempts.
      if (isRetryable(error) && (await absBack())) continue;
      if (attempt >= max || !isRetryable(error)) {
        const message = (error as Error).message;
        deps.logger.warn({ itemId, error: message }, 'backfill: item failed');
        return { itemId, error: message };
      }
      attempt += 1;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }
}

/**
 * Returns a function for failed items: when ABS does not answer its ping, it waits (one shared
 * wait for every item, with a "waiting for ABS" line every 30 s) until ABS is back and resolves
 * true; it resolves false when ABS answers (the failure was something else) or stayed away
 * longer than maxAbsOutageMs.
 */
function absWaiter(deps: BackfillDeps): () => Promise<boolean> {
  let waiting: Promise<boolean> | undefined;
  let gaveUp = false;
  const ping = deps.abs.ping?.bind(deps.abs);
  return () => {
    if (!ping || gaveUp) return Promise.resolve(false);
    waiting ??= (async () => {
      if (await ping()) return false;
      const started = Date.now();
      const limit = deps.maxAbsOutageMs ?? 30 * 60_000;
      let told = 0;
      while (Date.now() - started < limit) {
        if (Date.now() - told >= 30_000) {
          deps.logger.warn(
            { downForSeconds: Math.round((Date.now() - started) / 1000) },
            'waiting for ABS: it does not answer; the backfill goes on when it is back',
          );
          told = Date.now();
        }
        await new Promise((r) => setTimeout(r, 1000));
        if (await ping()) {
          deps.logger.info({ downForSeconds: Math.round((Date.now() - started) / 1000) }, 'ABS is back');
          return true;
        }
      }
      deps.logger.error({ limitMs: limit }, 'ABS stayed unreachable: giving up on the items left');
      gaveUp = true;
      return false;
    })().finally(() => {
      waiting = undefined;
    });
    return waiting;
  };
}

function isRetryable(error: unknown): boolean {
  const e = error as { retryable?: boolean; code?: string };
  if (typeof e.retryable === 'boolean') return e.retryable;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ITEM_BUSY'].includes(e.code ?? '');
}

async function listIds(
  abs: BridgeAbs,
  libraryId: string,
  wanted: (i: AbsItem) => boolean,
): Promise<string[]> {
  const ids: string[] = [];
  const limit = 500;
  for (let page = 0; ; page += 1) {
    const res = await abs.listLibraryItems(libraryId, { page, limit, sort: 'addedAt' });
    ids.push(...res.results.filter((i: AbsItem) => !i.isMissing && wanted(i)).map((i) => i.id));
    if (res.results.length < limit || (page + 1) * limit >= res.total) return ids;
  }
}
