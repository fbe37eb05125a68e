/**
 * Books nothing in a library item can tell apart from another catalogue record: the same title
 * and authors under a different ASIN (re-listings are common in the Audible export), where every
 * other signal the item carries agrees with both — narrators (when the item names them),
 * language (when known) and length (within a minute, when known). A careful matcher sends such a
 * book to review; a greedy rule applies one of the twins and is right by chance. The bench
 * reports coverage with and without them so that difference is visible.
 */
import { normalizeAuthor, normalizeLanguage, normalizeTitle } from '../../src/matching/normalize.js';
import type { LookupContext } from '../../src/providers/types.js';
import type { BenchCase } from './contexts.js';
import type { CatalogueRecord } from './types.js';

const TWIN_MINUTES = 1;

const people = (names: readonly string[]) => names.map(normalizeAuthor).sort().join('|');

const fullTitle = (r: CatalogueRecord) => normalizeTitle(r.subtitle ? `${r.title}: ${r.subtitle}` : r.title);

function titleAndAuthors(r: CatalogueRecord): string {
  return `${fullTitle(r)}#${people(r.authors)}`;
}

/**
 * Marks `case.twin` on the cases whose expected record has such a twin for that case's context.
 * Without an author in the lookup, any record of the same title is a possible twin.
 */
export function markIndistinguishableTwins(records: readonly CatalogueRecord[], cases: BenchCase[]): void {
  const byAsin = new Map(records.map((r) => [r.asin, r]));
  const groups = new Map<string, CatalogueRecord[]>();
  const byTitle = new Map<string, CatalogueRecord[]>();
  for (const r of records) {
    groups.set(titleAndAuthors(r), [...(groups.get(titleAndAuthors(r)) ?? []), r]);
    byTitle.set(fullTitle(r), [...(byTitle.get(fullTitle(r)) ?? []), r]);
  }
  for (const c of cases) {
    const expected = c.expected === null ? undefined : byAsin.get(c.expected);
    if (!expected || c.ctx.asin) continue;
    const pool = c.ctx.authors.length
      ? groups.get(titleAndAuthors(expected))
      : byTitle.get(fullTitle(expected));
    c.twin = (pool ?? []).some((r) => r.asin !== expected.asin && nothingTellsApart(c.ctx, expected, r));
  }
}

/**
 * Whether every signal the lookup carries agrees with `other` as well as with `expected`:
 * narrators when named, the item's language when known (the library's language only orders
 * editions, it says nothing about the item),
 * publication year when known (a year apart counts as agreeing, as in the scoring), length
 * within a minute and a tenth of the book when known.
 */
function nothingTellsApart(ctx: LookupContext, expected: CatalogueRecord, other: CatalogueRecord): boolean {
  const { narrators, durationSeconds, publishedYear } = ctx;
  const language = normalizeLanguage(ctx.language);
  const year = (r: CatalogueRecord) => Number(r.released.slice(0, 4));
  const minutesApart = Math.abs(other.minutes - expected.minutes);
  return (
    (!narrators.length || people(other.narrators) === people(expected.narrators)) &&
    (!language || other.language === expected.language) &&
    (!publishedYear ||
      Math.abs(year(other) - Number(publishedYear)) <= 1 ||
      Math.abs(year(expected) - Number(publishedYear)) > 1) &&
    (durationSeconds === undefined ||
      (minutesApart <= TWIN_MINUTES && minutesApart <= expected.minutes * 0.1))
  );
}
