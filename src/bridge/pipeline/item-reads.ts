import type { AbsItem, BridgeAbs } from '../ports.js';
import { withMethods } from './abs-methods.js';

/** Largest batch sent to `POST /api/items/batch/get`. */
export const MAX_BATCH_READ = 50;

/**
 * How long an item read ahead stands for ABS's current answer: about as long as a book's own
 * lookups take on a busy machine (the pipeline already plans on a read that old by the time it
 * writes).
 */
const READ_AHEAD_MS = 4000;

export interface ReadAhead {
  /**
   * Items about to be processed (a backfill's next ones): read them now in batches, so the
   * pipelines that start one by one over the next moments each find theirs instead of sending a
   * GET each. An answer older than the read-ahead window is not used.
   */
  readAhead(ids: readonly string[]): void;
}

interface Waiting {
  id: string;
  resolve(item: AbsItem | null): void;
  reject(error: unknown): void;
}

/**
 * Expanded item reads that arrive together — a backfill runs dozens of pipelines at once — are
 * sent as one `POST /api/items/batch/get` instead of one GET each; a read alone still uses the
 * plain GET. ABS answers a batch in database order and leaves unknown ids out (ABS-API.md), so
 * results are matched by id, and an id the batch did not return is read on its own (a 404 there
 * means "gone", as for a single read). If the batch itself fails, every waiting read falls back
 * to its own GET, so each item gets its own answer or error.
 * Without `batchGet` (other ABS ports) reads pass straight through.
 */
export function coalesceItemReads(
  abs: BridgeAbs,
  maxBatch = MAX_BATCH_READ,
  readAheadMs = READ_AHEAD_MS,
): BridgeAbs & ReadAhead {
  const batchGet = abs.batchGet?.bind(abs);
  if (!batchGet) return withMethods(abs, { readAhead: () => {} });
  let waiting: Waiting[] = [];
  let scheduled = false;
  /** Items read ahead: ABS's answer and when it came (ms). */
  const ahead = new Map<string, Promise<{ item: AbsItem | undefined; at: number } | undefined>>();

  const readAhead = (ids: readonly string[]) => {
    const now = Date.now();
    for (const [id, p] of ahead)
      void p.then((r) => {
        if (!r || now - r.at > readAheadMs) ahead.delete(id);
      });
    const wanted = [...new Set(ids)].filter((id) => !ahead.has(id));
    for (let i = 0; i < wanted.length; i += maxBatch) {
      const chunk = wanted.slice(i, i + maxBatch);
      const answer = batchGet(chunk).then(
        (items) => ({ byId: new Map(items.map((item) => [item.id, item])), at: Date.now() }),
        () => undefined,
      );
      for (const id of chunk)
        ahead.set(
          id,
          answer.then((a) => a && { item: a.byId.get(id), at: a.at }),
        );
    }
  };

  const single = (w: Waiting) => abs.getItem(w.id, { expanded: true }).then(w.resolve, w.reject);

  const flush = async (batch: Waiting[]) => {
    if (batch.length === 1) return single(batch[0] as Waiting);
    let items: AbsItem[];
    try {
      items = await batchGet([...new Set(batch.map((w) => w.id))]);
    } catch {
      await Promise.all(batch.map(single));
      return;
    }
    const byId = new Map(items.map((i) => [i.id, i]));
    await Promise.all(
      batch.map((w) => {
        const item = byId.get(w.id);
        return item ? w.resolve(item) : single(w);
      }),
    );
  };

  const take = () => {
    scheduled = false;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(maxBatch);
      void flush(batch);
    }
  };

  const getItem: BridgeAbs['getItem'] = async (id, options = {}) => {
    if (!options.expanded) return abs.getItem(id, options);
    const early = ahead.get(id);
    if (early) {
      ahead.delete(id);
      const r = await early;
      // Fresh enough to stand for ABS now; an id the batch left out, or a failed batch, reads again.
      if (r?.item && Date.now() - r.at <= readAheadMs) return r.item;
    }
    return new Promise<AbsItem | null>((resolve, reject) => {
      waiting.push({ id, resolve, reject });
      // Reads issued in the same turn of the event loop share a batch; none waits longer.
      if (!scheduled) {
        scheduled = true;
        setImmediate(take);
      }
    });
  };
  return withMethods(abs, { getItem, readAhead });
}
