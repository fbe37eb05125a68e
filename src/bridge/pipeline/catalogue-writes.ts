import type { AbsMediaPatch } from '../../abs/types.js';
import type { AbsItem, BridgeAbs } from '../ports.js';
import { withMethods } from './abs-methods.js';

/** Items whose library and names are remembered between their read and their PATCH. */
const REMEMBERED_ITEMS = 5000;

/**
 * ABS 2.36 creates an author or series row the first time a PATCH names it, without a guard:
 * two PATCHes naming the same NEW series (or author) at the same moment both insert it, the second
 * insert breaks a unique constraint, and the whole ABS process exits ("FATAL: Unhandled
 * rejection … SequelizeUniqueConstraintError", seen with two books of one new series in a
 * backfill at concurrency 4; docs/abs.md). So PATCHes that name the same author or series are
 * sent one after another; PATCHes about different people and series still run side by side.
 *
 * A name ABS already holds in the item's library is found, not created, so PATCHes naming it need
 * not wait for each other: names an item read carries (they are linked to that item) and names a
 * PATCH in that library succeeded with are taken as existing. A name an item's PATCH drops may
 * lose its last book (ABS then deletes it), so it is no longer taken as existing. A PATCH for an
 * item not read through here is serialised on every name, as before.
 */
export function serializeCatalogueWrites(abs: BridgeAbs): BridgeAbs {
  const tails = new Map<string, Promise<unknown>>();
  /** Per library: names known to exist in ABS. */
  const existing = new Map<string, Set<string>>();
  /** Per item read: its library and the names it carries. */
  const items = new Map<string, { libraryId: string; keys: string[] }>();

  const inLibrary = (libraryId: string) => {
    let names = existing.get(libraryId);
    if (!names) {
      names = new Set();
      existing.set(libraryId, names);
    }
    return names;
  };

  const remember = (item: AbsItem | null) => {
    if (!item?.libraryId) return;
    const keys = catalogueKeys({ metadata: item.media.metadata } as AbsMediaPatch);
    items.delete(item.id);
    items.set(item.id, { libraryId: item.libraryId, keys });
    if (items.size > REMEMBERED_ITEMS) items.delete(items.keys().next().value as string);
    const names = inLibrary(item.libraryId);
    for (const k of keys) names.add(k);
  };

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

  const patchMedia: BridgeAbs['patchMedia'] = async (id, body) => {
    const keys = catalogueKeys(body);
    const read = items.get(id);
    if (!read)
      return keys.length === 0 ? abs.patchMedia(id, body) : withKeys(keys, () => abs.patchMedia(id, body));
    const names = inLibrary(read.libraryId);
    // Names this PATCH drops from the item may vanish from ABS with it.
    const replaces = (k: string) =>
      body.metadata?.[k.startsWith('author:') ? 'authors' : 'series'] !== undefined;
    for (const k of read.keys) if (replaces(k) && !keys.includes(k)) names.delete(k);
    const fresh = keys.filter((k) => !names.has(k));
    const res =
      fresh.length === 0
        ? await abs.patchMedia(id, body)
        : await withKeys(fresh, () => abs.patchMedia(id, body));
    for (const k of fresh) names.add(k);
    items.delete(id);
    return res;
  };
  const getItem: BridgeAbs['getItem'] = async (id, options) => {
    const item = await abs.getItem(id, options);
    remember(item);
    return item;
  };
  return withMethods(abs, { patchMedia, getItem });
}

/** The author and series names a PATCH body carries, as ABS compares them (case-insensitively). */
export function catalogueKeys(body: AbsMediaPatch): string[] {
  const m = body.metadata ?? {};
  const authors = (m.authors ?? []).map((a) => `author:${a.name.trim().toLowerCase()}`);
  const series = (m.series ?? []).map((s) => `series:${s.name.trim().toLowerCase()}`);
  return [...new Set([...authors, ...series])];
}
