import { z } from 'zod';
import { cleanIsbn, normalizeAsin } from '../../domain/identifiers.js';
import { notFound } from '../../domain/provider-result.js';
import { cleanSequence } from '../../matching/normalize.js';
import { clientError, compact, joinUrl, parseBody, type RawCandidate, searchResult } from './common.js';
import { defineNetworkProvider, networkSettings } from './options.js';
import { languageName, splitPeople, uniqueStrings, yearOf } from './text.js';

/** One ABS custom metadata provider (`providers.custom[]`). */
export const CustomProviderSchema = z.strictObject({
  /** Shown in provenance as `custom:<name>`. */
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'letters, digits, dot, dash or underscore'),
  /** Base URL; `/search` is appended, as ABS does. */
  url: z.url(),
  /** Sent as the Authorization header. */
  authHeader: z.string().optional(),
  ...networkSettings({ weight: 0.8, rateLimit: { perMinute: 60, burst: 5 }, cacheTtlSeconds: 24 * 3600 }),
});
export type CustomProviderOptions = z.infer<typeof CustomProviderSchema>;

// Lenient like ABS: numbers and strings are both accepted and coerced.
const Str = z.union([z.string(), z.number()]).transform(String).nullish();
const List = z
  .union([
    z.array(z.union([z.string(), z.number()]).transform(String)),
    z.string().transform((s) => s.split(',')),
  ])
  .nullish();
/** One `BookMetadata` of the ABS custom-provider spec; unknown keys are ignored. */
const MatchSchema = z.object({
  title: Str,
  subtitle: Str,
  author: Str,
  narrator: Str,
  publisher: Str,
  publishedYear: Str,
  description: Str,
  cover: Str,
  isbn: Str,
  asin: Str,
  genres: List,
  tags: List,
  series: z.array(z.object({ series: Str, sequence: Str })).nullish(),
  language: Str,
  duration: z.union([z.number(), z.string()]).transform(Number).nullish(),
});
export type CustomMatch = z.infer<typeof MatchSchema>;
const ResponseSchema = z.object({ matches: z.array(z.unknown()) });

/** Pure: one custom-provider match → canonical fields; null when it has no title (spec: required). */
export function mapCustomMatch(m: CustomMatch, index: number): RawCandidate | null {
  const title = m.title?.trim();
  if (!title) return null;
  const series = (m.series ?? []).filter((s) => s.series?.trim());
  const fields = compact({
    title,
    subtitle: m.subtitle?.trim() || undefined,
    authors: splitPeople(m.author).map((name) => ({ name })),
    narrators: splitPeople(m.narrator),
    publisher: m.publisher?.trim() || undefined,
    publishedYear: yearOf(m.publishedYear),
    description: m.description?.trim() || undefined,
    cover: m.cover?.trim() ? { url: m.cover.trim() } : undefined,
    isbn: cleanIsbn(m.isbn),
    asin: normalizeAsin(m.asin),
    genres: uniqueStrings(m.genres ?? []),
    tags: uniqueStrings(m.tags ?? []),
    series: series.map((s) => ({ name: s.series?.trim() ?? '', sequence: cleanSequence(s.sequence) })),
    language: languageName(m.language),
    // The spec says minutes.
    durationSeconds:
      m.duration && Number.isFinite(m.duration) && m.duration > 0 ? m.duration * 60 : undefined,
  });
  const raw = series.some((s) => s.sequence)
    ? { series: series.map((s) => ({ name: s.series, position: s.sequence ?? null })) }
    : undefined;
  return { id: fields.asin ?? fields.isbn ?? `${index}:${title}`, fields, ...(raw ? { raw } : {}) };
}

/** Builds `custom:<name>` for one configured ABS custom metadata provider. */
export function customProviderDefinition(name: string) {
  const id = `custom:${name}`;
  return defineNetworkProvider({
    id,
    description: `ABS custom metadata provider "${name}"`,
    optionsSchema: CustomProviderSchema,
    capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1 },
    setup(options, http) {
      const url = joinUrl(options.url, '/search');
      return {
        async lookup(ctx, { signal }) {
          const query = ctx.title?.trim();
          if (!query) return notFound(id, ['no title to search for']);
          // Exactly what ABS sends: mediaType, query, author, and the identifiers it knows.
          const res = await http.request({
            url,
            params: {
              mediaType: 'book',
              query,
              ...(ctx.authors[0] ? { author: ctx.authors[0] } : {}),
              ...(ctx.isbn ? { isbn: ctx.isbn } : {}),
              ...(ctx.asin ? { asin: ctx.asin } : {}),
            },
            headers: {
              Accept: 'application/json, text/plain, */*',
              ...(options.authHeader ? { Authorization: options.authHeader } : {}),
            },
            signal,
          });
          if (res.status !== 200) throw clientError(id, res.status, res.data, 'search');
          const { matches } = parseBody(ResponseSchema, res.data, `${id} /search`);
          const mapped = matches.flatMap((m, i) => {
            const parsed = MatchSchema.safeParse(m);
            const candidate = parsed.success ? mapCustomMatch(parsed.data, i) : null;
            return candidate ? [candidate] : [];
          });
          const dropped = matches.length - mapped.length;
          return searchResult(
            id,
            ctx,
            mapped,
            dropped ? { notes: [`${dropped} match(es) without a usable title were ignored`] } : {},
          );
        },
      };
    },
  });
}
