import type { AbsMediaPatch } from '../../abs/types.js';
import type { BridgeAbs } from '../ports.js';

/**
 * ABS 2.36 creates an author or series row the first time a PATCH names it, without a guard:
 * two PATCHes naming the same NEW series (or author) at the same moment both insert it, the second
 * insert breaks a unique constraint, and the whole ABS process exits ("FATAL: Unhandled
 * rejection … SequelizeUniqueConstraintError", seen with two books of one new series in a
 * backfill at concurrency 4; docs/abs.md). So PATCHes that name the same author or series are
 * sent one after another; PATCHes about different people and series still run side by side.
 */
export function serializeCatalogueWrites(abs: BridgeAbs): BridgeAbs {
  const tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier write holding any of `keys` is done. */
  async function withKeys<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const before = keys.map((k) => tails.get(k)).filter((p): p is Promise<unknown> => p !== undefined);
    const run = Promise.allSettled(before).then(fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const k of keys) tails.set(k, settled);
    void settled.then(() => {
      for (const k of keys) if (tails.get(k) === settled) tails.delete(k);
    });
    return run;
  }

  const patchMedia: BridgeAbs['patchMedia'] = (id, body) => {
    const keys = catalogueKeys(body);
    return keys.length === 0 ? abs.patchMedia(id, body) : withKeys(keys, () => abs.patchMedia(id, body));
  };
  return new Proxy(abs, {
    get(target, prop, receiver) {
      if (prop === 'patchMedia') return patchMedia;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The author and series names a PATCH body carries, as ABS compares them (case-insensitively). */
export function catalogueKeys(body: AbsMediaPatch): string[] {
  const m = body.metadata ?? {};
  const authors = (m.authors ?? []).map((a) => `author:${a.name.trim().toLowerCase()}`);
  const series = (m.series ?? []).map((s) => `series:${s.name.trim().toLowerCase()}`);
  return [...new Set([...authors, ...series])];
}
