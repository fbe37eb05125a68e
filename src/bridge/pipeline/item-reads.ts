import type { AbsItem, BridgeAbs } from '../ports.js';

/** Largest batch sent to `POST /api/items/batch/get`. */
export const MAX_BATCH_READ = 50;

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
export function coalesceItemReads(abs: BridgeAbs, maxBatch = MAX_BATCH_READ): BridgeAbs {
  const batchGet = abs.batchGet?.bind(abs);
  if (!batchGet) return abs;
  let waiting: Waiting[] = [];
  let scheduled = false;

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

  const getItem: BridgeAbs['getItem'] = (id, options = {}) => {
    if (!options.expanded) return abs.getItem(id, options);
    return new Promise<AbsItem | null>((resolve, reject) => {
      waiting.push({ id, resolve, reject });
      // Reads issued in the same turn of the event loop share a batch; none waits longer.
      if (!scheduled) {
        scheduled = true;
        setImmediate(take);
      }
    });
  };
  // Everything else is the client itself (a proxy keeps getters and class methods intact).
  return new Proxy(abs, {
    get(target, prop) {
      if (prop === 'getItem') return getItem;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
