import { filterParam } from '../../abs/client.js';
import type { Logger } from '../../logging.js';
import type { AbsItem, BridgeAbs } from '../ports.js';
import type { StateStore } from '../state/state-store.js';
import type { JobRequest } from './job-queue.js';

export interface CatchUpDeps {
  abs: BridgeAbs;
  store: StateStore;
  logger: Logger;
  triggerTag: string;
  /** Tag commands (`bridge:review`, `bridge:lock`, `bridge:skip`), found like the trigger tag. */
  commandTags?: readonly string[];
  /** Restrict to these libraries (empty: every book library). */
  libraryIds: readonly string[];
  enqueue(job: JobRequest): void;
  pageSize?: number;
}

export interface CatchUpReport {
  libraries: number;
  /** Items read from ABS's listings. */
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
 * Finds what happened while the bridge was not listening: books ADDED since the library's
 * checkpoint that the bridge never processed, and books carrying the trigger tag.
 *
 * ABS 2.36 cannot list by `updatedAt` (it ignores that sort and answers in insertion order), so
 * new books are found by `addedAt`, newest first, stopping at the checkpoint only once the
 * listing has shown itself to be in that order; a server that ignores the sort is read to the end.
 * Trigger tags are found with ABS's own tag filter. The first run only sets the checkpoint:
 * existing libraries are matched on purpose with `match --library`, not by surprise on first
 * start. Checkpoints are ABS's own `addedAt` values (no clock skew).
 */
export async function catchUp(deps: CatchUpDeps): Promise<CatchUpReport> {
  const report: CatchUpReport = { libraries: 0, scanned: 0, queued: 0 };
  for (const libraryId of await watchedLibraries(deps.abs, deps.libraryIds)) {
    report.libraries += 1;
    const since = await deps.store.getCheckpoint(libraryId);
    const queued = new Set<string>();
    const queue = (item: AbsItem, job: Omit<JobRequest, 'itemId'>) => {
      if (queued.has(item.id) || item.isMissing) return;
      queued.add(item.id);
      deps.enqueue({ itemId: item.id, ...job });
    };
    let newest = since;
    for await (const item of addedSince(deps, libraryId, since, () => (report.scanned += 1))) {
      newest = Math.max(newest, item.addedAt ?? 0);
      if (since > 0 && (await deps.store.getItem(item.id)) === null) queue(item, { reason: 'catch-up' });
    }
    for await (const item of tagged(deps, libraryId)) {
      report.scanned += 1;
      queue(item, { reason: 'trigger-tag', force: true });
    }
    report.queued += queued.size;
    // An empty library still gets a baseline (1 ms), so the next run treats everything as new.
    if (newest > since || since === 0) await deps.store.setCheckpoint(libraryId, Math.max(newest, 1));
  }
  deps.logger.info(report, 'catch-up finished');
  return report;
}

/** Items added after `since` (all items when since is 0), whatever order ABS answers in. */
async function* addedSince(
  deps: CatchUpDeps,
  libraryId: string,
  since: number,
  onRead: () => void,
): AsyncGenerator<AbsItem> {
  const limit = deps.pageSize ?? 200;
  let previous = Number.POSITIVE_INFINITY;
  let descending = false;
  let ordered = true;
  for (let page = 0; ; page += 1) {
    const res = await deps.abs.listLibraryItems(libraryId, { page, limit, sort: 'addedAt', desc: true });
    for (const item of res.results) {
      onRead();
      const added = item.addedAt ?? 0;
      if (added > previous) ordered = false;
      if (added < previous && previous !== Number.POSITIVE_INFINITY) descending = true;
      previous = added;
      if (added > since || since === 0) yield item;
      // Only a listing seen to run newest-first may stop early.
      else if (ordered && descending && since > 0) return;
    }
    if (res.results.length < limit || (page + 1) * limit >= res.total) return;
  }
}

/** Items carrying the trigger tag or a tag command (ABS's `tags.<base64>` filter, one per tag). */
async function* tagged(deps: CatchUpDeps, libraryId: string): AsyncGenerator<AbsItem> {
  const limit = deps.pageSize ?? 200;
  for (const tag of [deps.triggerTag, ...(deps.commandTags ?? [])]) {
    const filter = filterParam('tags', tag);
    for (let page = 0; ; page += 1) {
      const res = await deps.abs.listLibraryItems(libraryId, { page, limit, filter });
      // Checked again here: a server that ignored the filter must not re-match everything.
      yield* res.results.filter((i) => (i.media.tags ?? []).includes(tag));
      if (res.results.length < limit || (page + 1) * limit >= res.total) break;
    }
  }
}
