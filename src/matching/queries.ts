import type { LookupContext } from '../providers/types.js';
import { normalizeTitle, splitAuthors, splitSubtitle } from './normalize.js';
import { deFolder, titleVariants } from './variants.js';

/** One search to send to a provider. */
export interface SearchQuery {
  /** Title without noise (not folded: providers do their own folding). */
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
 * Empty when the context has no title.
 */
export function searchQueries(ctx: LookupContext): SearchQuery[] {
  if (!ctx.title?.trim()) return [];
  const author = displayAuthor(ctx.authors[0]);
  const knownAuthors = ctx.authors.length ? ctx.authors : [];
  // Search with the cleanest spelling: folder separators and track numbers are never in a catalogue.
  const clean = deFolder(ctx.title).replace(/^\s*\d{1,3}\s*[-_.)]\s+(?=\S)/u, '');
  const variants = titleVariants(clean, undefined, knownAuthors)
    // The full raw form is the least clean reading when a shorter one exists (track numbers, author).
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  const out: SearchQuery[] = [];
  const seen = new Set<string>();
  const push = (title: string, who: string | undefined) => {
    const key = `${normalizeTitle(title)}|${who ?? ''}`;
    if (!title || seen.has(key) || out.length >= MAX_QUERIES) return;
    seen.add(key);
    out.push({ title, ...(who ? { author: who } : {}), keywords: who ? `${title} ${who}` : title });
  };
  const best = variants[0]?.query ?? ctx.title.trim();
  push(best, author);
  const main = splitSubtitle(best).main;
  if (main !== best) push(main, author);
  for (const v of variants.slice(1)) push(v.query, author);
  if (author) push(best, undefined);
  return out;
}

/** Series-shaped and author-stripped readings are the cleanest; the raw full form comes last. */
function rank(kind: string): number {
  return { 'series-shaped': 0, 'author-stripped': 1, 'track-stripped': 2, full: 3, main: 4 }[kind] ?? 5;
}

/** The context's authors as normalised names (for providers that filter results themselves). */
export function contextAuthors(ctx: LookupContext): string[] {
  return splitAuthors(ctx.authors);
}
