import { z } from 'zod';
import type { AggregatedResult } from '../domain/aggregated.js';
import { type LookupContext, makeLookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import type { Decision } from '../matching/decision.js';

/**
 * Pure mapping between ABS's custom metadata provider spec
 * (custom-metadata-provider-specification.yaml) and the bridge's model.
 */

/** One match in the spec's `BookMetadata` shape. Only `title` is required. */
export interface AbsBookMetadata {
  title: string;
  subtitle?: string;
  author?: string;
  narrator?: string;
  publisher?: string;
  publishedYear?: string;
  description?: string;
  cover?: string;
  isbn?: string;
  asin?: string;
  genres?: string[];
  tags?: string[];
  series?: { series: string; sequence?: string }[];
  language?: string;
  /** Minutes, as the spec says. */
  duration?: number;
}

const optionalText = z
  .string()
  .trim()
  .max(500)
  .optional()
  .transform((v) => (v ? v : undefined));

/**
 * What ABS really sends (custom_provider_requests.jsonl): `mediaType=book&query=<title>
 * [&author=][&isbn=]`. ABS's cover search sends `isbn=[object Object]` (an ABS bug); such
 * non-ISBN values are dropped rather than refused so the search still works.
 */
export const AbsSearchQuerySchema = z.object({
  mediaType: z.enum(['book', 'podcast']).default('book'),
  query: z.string({ error: 'query is required' }).trim().min(1, 'query must not be empty').max(500),
  author: optionalText,
  isbn: optionalText.transform((v) => (v && /^[0-9Xx-]{10,17}$/.test(v) ? v.replace(/-/g, '') : undefined)),
  asin: optionalText.transform((v) => (v && /^[A-Z0-9]{10}$/i.test(v) ? v.toUpperCase() : undefined)),
});
export type AbsSearchQuery = z.output<typeof AbsSearchQuerySchema>;

/** The lookup context a search asks the aggregator for. */
export function contextFromQuery(q: AbsSearchQuery): LookupContext {
  return makeLookupContext({
    title: q.query,
    ...(q.author ? { authors: [q.author] } : {}),
    ...(q.isbn ? { isbn: q.isbn } : {}),
    ...(q.asin ? { asin: q.asin } : {}),
  });
}

const NAME_SUFFIX = /^(jr|sr|[ivx]+|phd|md)\.?$/i;

/** One person's name as ABS must get it: one line of single spaces, and no comma to split on. */
export function absPersonName(raw: string): string {
  const name = raw.replace(/\s+/gu, ' ').trim();
  const parts = name
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length !== 2) return parts.join(' ');
  const [first, second] = parts as [string, string];
  // "King, Jr." stays one name; "Tolkien, J. R. R." is "Last, First".
  return NAME_SUFFIX.test(second) ? `${first} ${second}` : `${second} ${first}`;
}

/**
 * A list of names joined the way ABS splits it back (`split(',')`, trimmed). Names ABS would see
 * as the same person — equal after case folding and whitespace collapsing — are sent once: ABS
 * 2.36 makes a second author for "Ada  Marlowe" next to "Ada Marlowe", and a name with a comma
 * would become two people.
 */
export function absNameList(names: readonly string[] | undefined): string | undefined {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names ?? []) {
    const name = absPersonName(raw);
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out.length ? out.join(', ') : undefined;
}

/** Maps canonical fields to one spec match; null without a title (the spec requires one). */
export function toAbsBook(fields: PartialMetadata): AbsBookMetadata | null {
  if (!fields.title) return null;
  const out: AbsBookMetadata = { title: fields.title };
  const set = <K extends keyof AbsBookMetadata>(key: K, value: AbsBookMetadata[K] | undefined) => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0) && value !== '')
      out[key] = value;
  };
  set('subtitle', fields.subtitle);
  set('author', absNameList(fields.authors?.map((a) => a.name)));
  set('narrator', absNameList(fields.narrators));
  set('publisher', fields.publisher);
  set('publishedYear', fields.publishedYear);
  set('description', fields.description);
  set('cover', fields.cover?.url);
  set('isbn', fields.isbn);
  set('asin', fields.asin);
  set('genres', fields.genres);
  set('tags', fields.tags);
  set('series', absSeries(fields.series));
  set('language', fields.language);
  if (fields.durationSeconds !== undefined) out.duration = Math.round(fields.durationSeconds / 60);
  return out;
}

/** Series once each by name as ABS compares them (case-insensitively); the first sequence wins. */
function absSeries(series: PartialMetadata['series']): AbsBookMetadata['series'] {
  const seen = new Set<string>();
  const out: NonNullable<AbsBookMetadata['series']> = [];
  for (const s of series ?? []) {
    const name = s.name.replace(/\s+/gu, ' ').trim();
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(s.sequence ? { series: name, sequence: s.sequence } : { series: name });
  }
  return out;
}

/**
 * The matches for one aggregation: the merged result first (ABS's quick match takes `[0]` with no
 * threshold, so a result the bridge would reject yields no matches at all), then other candidate
 * books a person can pick in ABS's Match dialog, de-duplicated by title + author.
 */
export function toAbsMatches(result: AggregatedResult, decision: Decision, limit = 10): AbsBookMetadata[] {
  if (decision === 'reject') return [];
  const merged = toAbsBook(result.metadata);
  const seen = new Set<string>();
  const out: AbsBookMetadata[] = [];
  const push = (book: AbsBookMetadata | null) => {
    if (!book || out.length >= limit) return;
    const key = `${book.title}\u0000${book.author ?? ''}`.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(book);
  };
  push(merged);
  for (const candidate of result.candidates) {
    if (candidate.fields) push(toAbsBook(candidate.fields));
  }
  return out;
}
