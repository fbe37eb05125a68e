import type { Logger } from '../logging.js';
import type { JobRequest } from './job-queue.js';
import type { AbsItem, BridgeAbs } from './ports.js';
import type { StateStore } from './state-store.js';

export interface CatchUpDeps {
  abs: BridgeAbs;
  store: StateStore;
  logger: Logger;
  triggerTag: string;
  /** Restrict to these libraries (empty: every book library). */
  libraryIds: readonly string[];
  enqueue(job: JobRequest): void;
  pageSize?: number;
}

export interface CatchUpReport {
  libraries: number;
  scanned: number;
  queued: number;
}

/** The book libraries the bridge watches. */
export async function watchedLibraries(abs: BridgeAbs, only: readonly string[]): Promise<string[]> {
  const libs = await abs.listLibraries();
  return libs
    .filter((l) => l.mediaType === 'book' && (only.length === 0 || only.includes(l.id)))
    .map((l) => l.id);
}

/**
 * Lists items updated since the library's checkpoint (newest first, paged, minified) and queues
 * those the bridge never processed plus those carrying the trigger tag. The first run only sets
 * the checkpoint: existing libraries are matched on purpose with `match --library`, not by
 * surprise on first start. Checkpoints are ABS's own `updatedAt` values (no clock skew).
 */
export async function catchUp(deps: CatchUpDeps): Promise<CatchUpReport> {
  const report: CatchUpReport = { libraries: 0, scanned: 0, queued: 0 };
  for (const libraryId of await watchedLibraries(deps.abs, deps.libraryIds)) {
    report.libraries += 1;
    const since = await deps.store.getCheckpoint(libraryId);
    let newest = since;
    for await (const item of newestFirst(deps, libraryId)) {
      const at = item.updatedAt ?? item.addedAt ?? 0;
      newest = Math.max(newest, at);
      if (since === 0) break;
      if (at < since) break;
      report.scanned += 1;
      if (await needsWork(deps, item)) {
        const trigger = (item.media.tags ?? []).includes(deps.triggerTag);
        deps.enqueue({ itemId: item.id, reason: trigger ? 'trigger-tag' : 'catch-up', force: trigger });
        report.queued += 1;
      }
    }
    // An empty library still gets a baseline (1 ms), so the next run treats everything as new.
    if (newest > since || since === 0) await deps.store.setCheckpoint(libraryId, Math.max(newest, 1));
  }
  deps.logger.info(report, 'catch-up finished');
  return report;
}

async function needsWork(deps: CatchUpDeps, item: AbsItem): Promise<boolean> {
  if (item.isMissing) return false;
  if ((item.media.tags ?? []).includes(deps.triggerTag)) return true;
  return (await deps.store.getItem(item.id)) === null;
}

async function* newestFirst(deps: CatchUpDeps, libraryId: string): AsyncGenerator<AbsItem> {
  const limit = deps.pageSize ?? 100;
  for (let page = 0; ; page += 1) {
    const res = await deps.abs.listLibraryItems(libraryId, { page, limit, sort: 'updatedAt', desc: true });
    yield* res.results;
    if (res.results.length < limit || (page + 1) * limit >= res.total) return;
  }
}
