/**
 * Books nothing in a library item can tell apart from another catalogue record: the same title
 * and authors under a different ASIN (re-listings are common in the Audible export), where every
 * other signal the item carries agrees with both — narrators (when the item names them),
 * language (when known) and length (within a minute, when known). A careful matcher sends such a
 * book to review; a greedy rule applies one of the twins and is right by chance. The bench
 * reports coverage with and without them so that difference is visible.
 */
import { normalizeAuthor, normalizeTitle } from '../../src/matching/normalize.js';
import type { BenchCase } from './contexts.js';
import type { CatalogueRecord } from './types.js';

const TWIN_MINUTES = 1;

const people = (names: readonly string[]) => names.map(normalizeAuthor).sort().join('|');

function titleAndAuthors(r: CatalogueRecord): string {
  return `${normalizeTitle(r.subtitle ? `${r.title}: ${r.subtitle}` : r.title)}#${people(r.authors)}`;
}

/** Marks `case.twin` on the cases whose expected record has such a twin for that case's context. */
export function markIndistinguishableTwins(records: readonly CatalogueRecord[], cases: BenchCase[]): void {
  const byAsin = new Map(records.map((r) => [r.asin, r]));
  const groups = new Map<string, CatalogueRecord[]>();
  for (const r of records) {
    const key = titleAndAuthors(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const c of cases) {
    const expected = c.expected === null ? undefined : byAsin.get(c.expected);
    if (!expected || c.ctx.asin) continue;
    const { narrators, language, durationSeconds } = c.ctx;
    c.twin = (groups.get(titleAndAuthors(expected)) ?? []).some(
      (r) =>
        r.asin !== expected.asin &&
        (!narrators.length || people(r.narrators) === people(expected.narrators)) &&
        (!language || r.language === expected.language) &&
        (durationSeconds === undefined || Math.abs(r.minutes - expected.minutes) <= TWIN_MINUTES),
    );
  }
}
