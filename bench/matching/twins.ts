/**
 * Books nothing in a library item can tell apart from another catalogue record: the same title
 * and authors under a different ASIN (re-listings are common in the Audible export), where every
 * other signal the item carries agrees with both — narrators (when the item names them),
 * language (when known) and length (within a minute, when known). A careful matcher sends such a
 * book to review; a greedy rule applies one of the twins and is right by chance. The bench
 * reports coverage with and without them so that difference is visible.
 */

import type { LookupContext } from '../../src/domain/lookup.js';
import {
  foldText,
  normalizeAuthor,
  normalizeLanguage,
  normalizeTitle,
} from '../../src/matching/normalize.js';
import type { BenchCase } from './contexts.js';
import type { CatalogueRecord } from './types.js';

const TWIN_MINUTES = 1;

const people = (names: readonly string[]) => names.map(normalizeAuthor).sort().join('|');

const fullTitle = (r: CatalogueRecord) => normalizeTitle(r.subtitle ? `${r.title}: ${r.subtitle}` : r.title);

function titleAndAuthors(r: CatalogueRecord): string {
  return `${fullTitle(r)}#${people(r.authors)}`;
}

const mainTitle = (r: CatalogueRecord) => normalizeTitle(r.title);

const words = (text: string) =>
  foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * Whether the lookup names the record's subtitle (at least half its words, so one typo does not
 * hide it). A lookup without it ("Panic" by Lauren Oliver) cannot tell "Panic" from "Panic: Ghosts
 * and Legends": every record of that main title is a possible twin.
 */
function carriesSubtitle(ctx: LookupContext, r: CatalogueRecord): boolean {
  if (!r.subtitle) return false;
  const said = new Set(words(`${ctx.title ?? ''} ${ctx.subtitle ?? ''}`));
  const sub = words(r.subtitle);
  return sub.filter((w) => said.has(w)).length >= Math.max(1, Math.ceil(sub.length / 2));
}

/**
 * Marks `case.twin` on the cases whose expected record has such a twin for that case's context.
 * Without an author in the lookup, any record of the same title is a possible twin; without the
 * subtitle, any record of the same main title (whatever its subtitle).
 */
export function markIndistinguishableTwins(records: readonly CatalogueRecord[], cases: BenchCase[]): void {
  const byAsin = new Map(records.map((r) => [r.asin, r]));
  const index = (key: (r: CatalogueRecord) => string) => {
    const map = new Map<string, CatalogueRecord[]>();
    for (const r of records) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return (r: CatalogueRecord) => map.get(key(r)) ?? [];
  };
  const byFull = index(titleAndAuthors);
  const byFullTitle = index(fullTitle);
  const byMain = index((r) => `${mainTitle(r)}#${people(r.authors)}`);
  const byMainTitle = index(mainTitle);
  for (const c of cases) {
    const expected = c.expected === null ? undefined : byAsin.get(c.expected);
    if (!expected || c.ctx.asin) continue;
    const authored = c.ctx.authors.length > 0;
    // A lookup without the subtitle cannot tell records of one main title apart by it.
    const pool = carriesSubtitle(c.ctx, expected)
      ? (authored ? byFull : byFullTitle)(expected)
      : (authored ? byMain : byMainTitle)(expected);
    c.twin = pool.some((r) => r.asin !== expected.asin && nothingTellsApart(c.ctx, expected, r));
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
