/**
 * Messy lookup contexts like real libraries produce, generated from catalogue records with a
 * seeded RNG: folder-name noise, track numbers, series-shaped names, typos, "Last, First",
 * missing authors/narrators/durations, rips whose length is a little off, and books that are not
 * in the catalogue at all. Each case knows the right answer (the ASIN, or none).
 */
import { type LookupContext, makeLookupContext } from '../../src/domain/lookup.js';
import { pick, type Rng } from './rng.js';
import type { CatalogueRecord } from './types.js';

export interface BenchCase {
  ctx: LookupContext;
  /** The right ASIN, or null for a book that is not in the catalogue. */
  expected: string | null;
  /** Which kinds of noise were applied (for the per-recipe breakdown). */
  noise: string[];
  /** The kind of lookup (slices.ts): ordinary, title-only, editions-untold, invented-author, … */
  slice?: string;
  /** The expected record has an indistinguishable twin in the catalogue (see twins.ts). */
  twin?: boolean;
}

export function typo(text: string, rng: Rng): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 5);
  if (!candidates.length) return text;
  const [word, i] = pick(candidates, rng);
  const at = 1 + Math.floor(rng() * (word.length - 2));
  const op = Math.floor(rng() * 3);
  const next =
    op === 0
      ? word.slice(0, at) + word.slice(at + 1)
      : op === 1
        ? word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2)
        : word.slice(0, at) + word[at] + word.slice(at);
  words[i] = next;
  return words.join(' ');
}

function lastFirst(name: string): string {
  const parts = name.split(' ');
  return parts.length < 2 ? name : `${parts.at(-1)}, ${parts.slice(0, -1).join(' ')}`;
}

/** The title as a folder or tag would spell it, and the noise used. */
export function messyTitle(r: CatalogueRecord, rng: Rng, noise: string[]): string {
  const full = r.subtitle ? `${r.title}: ${r.subtitle}` : r.title;
  let title = rng() < 0.5 ? r.title : full;
  const roll = rng();
  if (roll < 0.12 && r.series) {
    title = `${r.series.title} ${r.series.sequence.padStart(2, '0')} - ${r.title}`;
    noise.push('series-shaped');
  } else if (roll < 0.2) {
    title = `${r.authors[0]} - ${title}`;
    noise.push('author-in-title');
  } else if (roll < 0.27) {
    title = `${String(1 + Math.floor(rng() * 20)).padStart(2, '0')} - ${title}`;
    noise.push('track-number');
  } else if (roll < 0.4) {
    title = `${title} ${pick(['(Unabridged)', '[64k]', '128kbps mp3', '(Audiobook)', 'm4b'], rng)}`;
    noise.push('file-noise');
  }
  if (rng() < 0.15) {
    title = typo(title, rng);
    noise.push('typo');
  }
  if (rng() < 0.1) {
    title = title.toLowerCase().replace(/ /g, rng() < 0.5 ? '_' : '.');
    noise.push('folder-case');
  }
  return title;
}

export function messyAuthors(r: CatalogueRecord, rng: Rng, noise: string[]): string[] {
  const roll = rng();
  // ABS knows the author for most items (folder layout Author/Title, tags); not for all.
  if (roll < 0.15) {
    noise.push('no-author');
    return [];
  }
  let authors = rng() < 0.3 ? r.authors.slice(0, 1) : [...r.authors];
  if (roll < 0.4) {
    authors = authors.map(lastFirst);
    noise.push('last-first');
  } else if (roll < 0.47) {
    authors = authors.map((a) => a.replace(/^(\p{L})\p{L}+\s/u, '$1. '));
    noise.push('initials');
  } else if (roll < 0.52) {
    authors = authors.map((a, i) => (i === 0 ? typo(a, rng) : a));
    noise.push('author-typo');
  }
  return authors;
}

/**
 * The item's measured length for a record: the store rounds to whole minutes (±30 s by itself),
 * files differ by up to a minute, some rips by ±5 minutes (never more than a fifth of the book).
 */
export function measuredSeconds(r: CatalogueRecord, rng: Rng): number {
  const rounding = (rng() - 0.5) * 60;
  const rip =
    rng() < 0.1 ? (rng() - 0.5) * Math.min(600, r.minutes * 12) : (rng() - 0.5) * Math.min(60, r.minutes * 6);
  return Math.max(5, Math.round(r.minutes * 60 + rounding + rip));
}

/** The year an item's tags or ABS give: the release year, now and then a print edition's. */
export function itemYear(r: CatalogueRecord, rng: Rng): string {
  const year = Number(r.released.slice(0, 4));
  return String(rng() < 0.1 ? year - 1 - Math.floor(rng() * 30) : year);
}

/** The library's language: the book's own for most, English for a foreign book in an English library. */
export function libraryLanguageFor(r: CatalogueRecord, rng: Rng): string {
  return r.language === 'english' || rng() < 0.3 ? 'english' : r.language;
}

/** One library item for a record: everything a folder, its tags and ABS might know. */
export function messyContext(r: CatalogueRecord, rng: Rng): { ctx: LookupContext; noise: string[] } {
  const noise: string[] = [];
  const title = messyTitle(r, rng, noise);
  const authors = messyAuthors(r, rng, noise);
  const narrators = rng() < 0.4 ? r.narrators : [];
  if (!narrators.length) noise.push('no-narrator');
  // ABS measures every item's audio, so the duration is almost always known.
  const durationSeconds = rng() < 0.97 ? measuredSeconds(r, rng) : undefined;
  if (durationSeconds === undefined) noise.push('no-duration');
  const asin = rng() < 0.08 ? r.asin : undefined;
  if (asin) noise.push('asin-known');
  const language = rng() < 0.3 ? (r.language === 'english' ? 'English' : r.language) : undefined;
  const publishedYear = rng() < 0.3 ? itemYear(r, rng) : undefined;
  const ctx = makeLookupContext({
    title,
    authors,
    narrators,
    ...(durationSeconds ? { durationSeconds } : {}),
    ...(asin ? { asin } : {}),
    ...(language ? { language } : {}),
    ...(publishedYear ? { publishedYear } : {}),
    libraryLanguage: libraryLanguageFor(r, rng),
  });
  return { ctx, noise };
}
