/**
 * The benchmark's lookups, by slice: messy contexts like real libraries, each knowing its right
 * answer (an ASIN, or none for a book that is not in the catalogue). Seeded and deterministic.
 *
 * | slice | what the item carries |
 * |---|---|
 * | ordinary | the messy recipe of contexts.ts (folder noise, typos, "Last, First", …) |
 * | title-and-length | a title and the measured length; no author, no narrator |
 * | title-only | a title alone (never applied: a title names a work, not an edition) |
 * | no-length | the ordinary recipe without a duration |
 * | short / long | books of ≤ 12 minutes / ≥ 20 hours, ordinary recipe |
 * | editions-told | one edition of a work listed several times, with narrator, length and year |
 * | editions-untold | the same works with title and author only |
 * | translated | a work listed in several languages; the library's language set |
 * | typo-both | one typo in the title and one in the author |
 * | invented-title | a real author, a title that is not in the catalogue (expected: none) |
 * | invented-author | a real title under an invented author (expected: none) |
 * | absent | real books that are not in the catalogue (half share a title with one) |
 */

import { makeLookupContext } from '../../src/domain/lookup.js';
import { normalizeAuthor, normalizeTitle } from '../../src/matching/normalize.js';
import { personSimilarity } from '../../src/matching/similarity.js';
import {
  type BenchCase,
  libraryLanguageFor,
  measuredSeconds,
  messyContext,
  messyTitle,
  typo,
} from './contexts.js';
import { pick, type Rng } from './rng.js';
import type { CatalogueRecord } from './types.js';

/** Lookups per slice in each split. */
export const SLICE_COUNTS = {
  ordinary: 1500,
  'title-and-length': 150,
  'title-only': 150,
  'no-length': 250,
  short: 250,
  long: 200,
  'editions-told': 300,
  'editions-untold': 200,
  translated: 200,
  'typo-both': 250,
  'invented-title': 250,
  'invented-author': 250,
  absent: 600,
} as const;
export type SliceName = keyof typeof SLICE_COUNTS;

const workKey = (r: CatalogueRecord) =>
  `${normalizeTitle(r.title)}#${r.authors.map(normalizeAuthor).sort().join('|')}`;

function group(records: readonly CatalogueRecord[]): CatalogueRecord[][] {
  const byWork = new Map<string, CatalogueRecord[]>();
  for (const r of records) byWork.set(workKey(r), [...(byWork.get(workKey(r)) ?? []), r]);
  return [...byWork.values()];
}

/** Builds every slice from the split's half of the catalogue and of the absent books. */
export function buildCases(
  catalogue: readonly CatalogueRecord[],
  absent: readonly CatalogueRecord[],
  rng: Rng,
  counts: Partial<Record<SliceName, number>> = SLICE_COUNTS,
): BenchCase[] {
  const works = group(catalogue);
  const editions = works.filter((g) => g.length > 1);
  const translated = works.filter((g) => new Set(g.map((r) => r.language)).size > 1);
  const titles = new Set(catalogue.map((r) => normalizeTitle(r.title)));
  const out: BenchCase[] = [];
  const add = (slice: SliceName, make: () => Omit<BenchCase, 'slice'> | undefined) => {
    for (let i = 0; i < (counts[slice] ?? 0); i++) {
      const c = make();
      if (c) out.push({ ...c, slice });
    }
  };
  const from = (r: CatalogueRecord, noise: string[] = []) => {
    const m = messyContext(r, rng);
    return { ctx: m.ctx, expected: r.asin, noise: [...m.noise, ...noise] };
  };
  add('ordinary', () => from(pick(catalogue, rng)));
  const titleOnly = (withLength: boolean) => () => {
    const r = pick(catalogue, rng);
    const noise: string[] = [];
    const ctx = makeLookupContext({
      title: messyTitle({ ...r, authors: [''] }, rng, noise).replace(/^ - /, ''),
      ...(withLength ? { durationSeconds: measuredSeconds(r, rng) } : {}),
      libraryLanguage: libraryLanguageFor(r, rng),
    });
    return { ctx, expected: r.asin, noise };
  };
  add('title-and-length', titleOnly(true));
  add('title-only', titleOnly(false));
  add('no-length', () => {
    const c = from(pick(catalogue, rng));
    delete c.ctx.durationSeconds;
    return c;
  });
  const short = catalogue.filter((r) => r.minutes <= 12);
  const long = catalogue.filter((r) => r.minutes >= 20 * 60);
  add('short', () => from(pick(short, rng)));
  add('long', () => from(pick(long, rng)));
  add('editions-told', () => {
    const r = pick(pick(editions, rng), rng);
    const c = from(r);
    c.ctx.narrators = [...r.narrators];
    c.ctx.durationSeconds = measuredSeconds(r, rng);
    c.ctx.publishedYear = r.released.slice(0, 4);
    return c;
  });
  add('editions-untold', () => {
    const r = pick(pick(editions, rng), rng);
    const ctx = makeLookupContext({
      title: r.title,
      authors: [...r.authors],
      libraryLanguage: libraryLanguageFor(r, rng),
    });
    return { ctx, expected: r.asin, noise: [] };
  });
  add('translated', () => {
    const r = pick(pick(translated, rng), rng);
    return from(r);
  });
  add('typo-both', () => {
    const r = pick(
      catalogue.filter((x) => /\p{L}{5,}/u.test(x.title)),
      rng,
    );
    const c = from(r, ['typo', 'author-typo']);
    c.ctx.title = typo(r.title, rng);
    c.ctx.authors = r.authors.map((a, i) => (i === 0 ? typo(a, rng) : a));
    return c;
  });
  add('invented-title', () => {
    const r = pick(catalogue, rng);
    const title = inventTitle(catalogue, titles, rng);
    const c = from(r, ['invented']);
    c.ctx.title = title;
    delete c.ctx.asin;
    return { ...c, expected: null };
  });
  add('invented-author', () => {
    const r = pick(catalogue, rng);
    const author = inventAuthor(catalogue, r, rng);
    const other = pick(catalogue, rng);
    const c = from({
      ...r,
      authors: [author],
      narrators: other.narrators,
      minutes: other.minutes,
      released: other.released,
    });
    delete c.ctx.asin;
    return { ...c, expected: null, noise: [...c.noise, 'invented'] };
  });
  add('absent', () => {
    const r = pick(absent, rng);
    const { ctx, noise } = messyContext({ ...r, asin: '' }, rng);
    return { ctx, expected: null, noise: noise.filter((n) => n !== 'asin-known') };
  });
  for (const c of out) if (!c.ctx.asin) delete c.ctx.asin;
  return out;
}

/** Two or three words of other titles, in an order no catalogue title has. */
function inventTitle(catalogue: readonly CatalogueRecord[], titles: Set<string>, rng: Rng): string {
  for (;;) {
    const words = [pick(catalogue, rng), pick(catalogue, rng)].flatMap((r) =>
      r.title
        .split(/\s+/)
        .filter((w) => /^\p{L}{4,}$/u.test(w))
        .slice(0, 1),
    );
    if (words.length < 2) continue;
    const title = rng() < 0.5 ? `The ${words[0]} of ${words[1]}` : `${words[0]} ${words[1]}`;
    if (!titles.has(normalizeTitle(title))) return title;
  }
}

/** A first name of one author and a surname of another, unlike every author of `r`. */
function inventAuthor(catalogue: readonly CatalogueRecord[], r: CatalogueRecord, rng: Rng): string {
  for (;;) {
    const first = pick(catalogue, rng).authors[0]?.split(' ')[0];
    const last = pick(catalogue, rng).authors[0]?.split(' ').at(-1);
    if (!first || !last || first === last) continue;
    const name = `${first} ${last}`;
    if (r.authors.every((a) => personSimilarity(normalizeAuthor(a), normalizeAuthor(name)) < 0.6))
      return name;
  }
}
