import type { LookupContext } from '../domain/lookup.js';
import { foldText, normalizeTitle, splitAuthors, splitSubtitle } from './normalize.js';
import { deFolder, titleVariants } from './variants.js';

/** One search to send to a provider. */
export interface SearchQuery {
  /** Title without noise (not folded: providers do their own folding); empty for an author-only search. */
  title: string;
  /** First author as "First Last", when known. */
  author?: string;
  /** Title and author in one string, for services with a single keyword box. */
  keywords: string;
}

/** ABS caps fuzzy retries at 2 for quick match; three queries keep rate limits comfortable. */
export const MAX_QUERIES = 3;

/** "Tolkien, J.R.R." → "J.R.R. Tolkien": providers index authors first-name-first. */
function displayAuthor(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const first = raw.split(/\s*(?:;|&|\/|\band\b)\s*/i)[0]?.trim();
  if (!first) return undefined;
  const flip = /^([^,\s]+),\s*([^,]+)$/.exec(first);
  return flip ? `${flip[2]} ${flip[1]}`.trim() : (first.split(/\s*,\s*/)[0] ?? first);
}

/**
 * Ordered query variants for a title search, best first, at most `MAX_QUERIES`:
 * the cleaned title with the author, then shorter readings (series-shaped names, subtitle
 * dropped), and finally the best title without the author (in case the author is wrong).
 * Empty when the context has no title. See `fallbackQueries` for what to try when these find
 * nothing worth a review.
 */
export function searchQueries(ctx: LookupContext): SearchQuery[] {
  if (!ctx.title?.trim()) return [];
  const author = displayAuthor(ctx.authors[0]);
  const variants = searchVariants(ctx);
  const out: SearchQuery[] = [];
  const seen = new Set<string>();
  const push = (title: string, who: string | undefined) => {
    const key = `${normalizeTitle(title)}|${who ?? ''}`;
    if (!title || seen.has(key) || out.length >= MAX_QUERIES) return;
    seen.add(key);
    out.push(query(title, who));
  };
  const best = variants[0]?.query ?? ctx.title.trim();
  push(best, author);
  const main = splitSubtitle(best).main;
  if (main !== best) push(main, author);
  for (const v of variants.slice(1)) push(v.query, author);
  if (author) push(best, undefined);
  return out;
}

function query(title: string, author: string | undefined): SearchQuery {
  return { title, ...(author ? { author } : {}), keywords: author ? `${title} ${author}` : title };
}

/** The title's readings worth searching for, cleanest first (see `searchQueries`). */
function searchVariants(ctx: LookupContext) {
  // Search with the cleanest spelling: folder separators and track numbers are never in a catalogue.
  const clean = deFolder(ctx.title ?? '').replace(/^\s*\d{1,3}\s*[-_.)]\s+(?=\S)/u, '');
  return (
    titleVariants(clean, undefined, ctx.authors)
      // The full raw form is the least clean reading when a shorter one exists (track numbers, author).
      .sort((a, b) => rank(a.kind) - rank(b.kind))
  );
}

/** At most this many extra searches when the ordinary ones found nothing worth a review. */
export const MAX_FALLBACK_QUERIES = 2;

/**
 * Providers send `fallbackQueries` only while their best candidate scores below this — the
 * default review threshold: nothing found, or nothing a person would want to look at.
 */
export const FALLBACK_BELOW = 0.6;

/**
 * Only titles of at most this many words (of three letters or more) get fallback searches: with
 * more, a keyword search still finds the book through the words spelt right, and books that are
 * simply not in the catalogue cost no extra requests. (On the benchmark's tuning split every
 * mistyped title the search missed was a single word; allowing two doubled the extra requests
 * for books not in the catalogue and found nothing more.)
 */
export const FALLBACK_MAX_WORDS = 1;

/** Words of three letters or more in the normalised title ("The Art of War" → 2). */
function significantWords(title: string): number {
  return normalizeTitle(title)
    .split(' ')
    .filter((w) => w.length >= 3).length;
}

/** Words shorter than this are not typo-repaired (same rule as `singleTypo`'s five letters). */
const REPAIR_MIN_WORD = 5;

/**
 * Spellings of `title` with one doubled letter typed once ("Fierrce" → "Fierce", "Seductioon" →
 * "Seduction"): a key pressed twice is the one typo a keyword search can undo without a
 * dictionary. Runs of three or more come first (rarely intended), then doubles left to right;
 * only words of at least five letters are touched, never digits. Empty when there is no double.
 */
export function doubledLetterRepairs(title: string): string[] {
  const found: { at: number; length: number }[] = [];
  for (const word of title.matchAll(/\p{L}+/gu)) {
    if (word[0].length < REPAIR_MIN_WORD) continue;
    for (const run of word[0].matchAll(/(\p{L})\1+/gu)) {
      found.push({ at: (word.index ?? 0) + (run.index ?? 0), length: run[0].length });
    }
  }
  found.sort((a, b) => Number(b.length >= 3) - Number(a.length >= 3) || a.at - b.at);
  const out: string[] = [];
  for (const { at } of found) {
    const repaired = title.slice(0, at) + title.slice(at + 1);
    if (!out.includes(repaired)) out.push(repaired);
  }
  return out;
}

/**
 * What a search for the author alone should send: the display name, or only the surname when the
 * given names are initials ("J. Rowe" → "Rowe": catalogues spell the full name).
 */
export function authorKeywords(author: string): string {
  const parts = author.split(/\s+/).filter(Boolean);
  const given = parts.slice(0, -1);
  const initial = (p: string) => /^(\p{L}\.)*\p{L}\.?$/u.test(p) && p.replace(/\./g, '').length <= 3;
  return given.length && given.every(initial) ? (parts.at(-1) ?? author) : author;
}

/**
 * Searches worth one more try when the ordinary queries (`searchQueries`) found nothing worth a
 * review — usually a typo in a one-word title ("Fierrce", "Dealdine"), which a keyword search does
 * not forgive. At most `MAX_FALLBACK_QUERIES`, none repeating an ordinary query: the title with a
 * doubled letter typed once (`doubledLetterRepairs`, with the author when known), then the author
 * alone (`authorKeywords`), so that a mistyped title can still be ranked against that author's
 * books by title similarity. Empty for titles longer than `FALLBACK_MAX_WORDS`, and when there is
 * nothing to repair and no author. Providers send these only on that fallback path
 * (`searchInTurn`), so a book found by the ordinary queries costs no extra request.
 */
export function fallbackQueries(ctx: LookupContext): SearchQuery[] {
  if (!ctx.title?.trim()) return [];
  const author = displayAuthor(ctx.authors[0]);
  const best = searchVariants(ctx)[0]?.query ?? ctx.title.trim();
  if (significantWords(best) > FALLBACK_MAX_WORDS) return [];
  const tried = new Set(searchQueries(ctx).map((q) => foldText(q.keywords)));
  const out: SearchQuery[] = [];
  const push = (q: SearchQuery) => {
    const key = foldText(q.keywords);
    if (!key || tried.has(key) || out.length >= MAX_FALLBACK_QUERIES) return;
    tried.add(key);
    out.push(q);
  };
  const [first, ...more] = doubledLetterRepairs(best);
  if (first) push(query(first, author));
  if (author) push({ title: '', author, keywords: authorKeywords(author) });
  for (const repaired of more) push(query(repaired, author));
  return out;
}

/**
 * One provider's search flow: `step` sends a query, merges what it found into the provider's
 * candidates and returns the ranked result so far. The ordinary queries go first, stopping once
 * the result reaches `goodEnough`; only if the best is then still below `FALLBACK_BELOW` are the
 * `fallbackQueries` sent (again stopping at `goodEnough`). Returns `initial` when there is no query.
 */
export async function searchInTurn<R extends { matchConfidence: number }>(
  ctx: LookupContext,
  initial: R,
  goodEnough: number,
  step: (query: SearchQuery) => Promise<R>,
): Promise<R> {
  let result = initial;
  for (const q of searchQueries(ctx)) {
    result = await step(q);
    if (result.matchConfidence >= goodEnough) return result;
  }
  if (result.matchConfidence >= FALLBACK_BELOW) return result;
  for (const q of fallbackQueries(ctx)) {
    result = await step(q);
    if (result.matchConfidence >= goodEnough) break;
  }
  return result;
}

/** Series-shaped and author-stripped readings are the cleanest; the raw full form comes last. */
function rank(kind: string): number {
  return { 'series-shaped': 0, 'author-stripped': 1, 'track-stripped': 2, full: 3, main: 4 }[kind] ?? 5;
}

/** The context's authors as normalised names (for providers that filter results themselves). */
export function contextAuthors(ctx: LookupContext): string[] {
  return splitAuthors(ctx.authors);
}

/** A narrower search by a candidate's own title (and author) that lists the work's editions. */
export interface EditionCheckQuery {
  title: string;
  author?: string;
}

/**
 * When the best candidate is only the right *work* — nothing edition-specific agreed
 * (`explanation.edition`), or the item names no author — and the searches were cut at their page
 * size, one more search by the candidate's own title (and its first author, when the item names
 * one) lists that work's editions, or every book of that title. If it comes back under the page
 * size, the provider has seen every edition there is (`ProviderResult.exhaustive`). Returns
 * undefined when no such search is needed.
 */
export function editionCheckQuery(
  ctx: LookupContext,
  best: { title?: string; authors?: string[]; explanation: Record<string, number | string> } | undefined,
): EditionCheckQuery | undefined {
  if (!best?.title) return undefined;
  const unconfirmed = best.explanation.edition !== undefined || best.explanation.author === 'unknown';
  if (!unconfirmed) return undefined;
  const author = ctx.authors.length ? best.authors?.[0] : undefined;
  return { title: best.title, ...(author ? { author } : {}) };
}
