import { z } from 'zod';
import { cleanIsbn } from '../../domain/identifiers.js';
import type { LookupContext } from '../../domain/lookup.js';
import { notFound, type ProviderResult } from '../../domain/provider-result.js';
import {
  clientError,
  compact,
  identifierResult,
  joinUrl,
  parseBody,
  type RawCandidate,
  searchResult,
} from './common.js';
import { defineNetworkProvider, networkOptions } from './options.js';
import { searchInTurn } from './scoring.js';
import { isoDate, languageName, uniqueStrings, yearOf } from './text.js';

const OptionsSchema = networkOptions(
  { rateLimit: { perMinute: 60, burst: 2 }, weight: 0.6 },
  z.url().default('https://www.googleapis.com'),
  { apiKey: z.string().optional() },
);
export type GoogleBooksOptions = z.infer<typeof OptionsSchema>;
const ID = 'googlebooks';

const VolumeSchema = z.object({
  id: z.string(),
  volumeInfo: z.object({
    title: z.string().nullish(),
    subtitle: z.string().nullish(),
    authors: z.array(z.string()).nullish(),
    publisher: z.string().nullish(),
    publishedDate: z.string().nullish(),
    description: z.string().nullish(),
    industryIdentifiers: z.array(z.object({ type: z.string(), identifier: z.string() })).nullish(),
    categories: z.array(z.string()).nullish(),
    language: z.string().nullish(),
    averageRating: z.number().nullish(),
    imageLinks: z.record(z.string(), z.string()).nullish(),
  }),
});
export type GoogleVolume = z.infer<typeof VolumeSchema>;
/** `items` is absent when nothing matched. */
const VolumesSchema = z.object({
  totalItems: z.number().nullish(),
  items: z.array(VolumeSchema).default([]),
});

const IMAGE_ORDER = ['extraLarge', 'large', 'medium', 'small', 'thumbnail', 'smallThumbnail'];

/** The largest image link, https, without the page-curl effect. */
function coverOf(links: Record<string, string> | null | undefined): string | undefined {
  const key = IMAGE_ORDER.find((k) => links?.[k]);
  const url = key ? links?.[key] : undefined;
  return url?.replace(/^http:\/\//, 'https://').replace(/&edge=curl/, '');
}

/** Pure: a Google Books volume → canonical fields (publishedDate in any granularity). */
export function mapGoogleVolume(v: GoogleVolume): RawCandidate {
  const info = v.volumeInfo;
  const ids = info.industryIdentifiers ?? [];
  const isbn =
    cleanIsbn(ids.find((i) => i.type === 'ISBN_13')?.identifier) ??
    cleanIsbn(ids.find((i) => i.type === 'ISBN_10')?.identifier);
  const cover = coverOf(info.imageLinks);
  const fields = compact({
    title: info.title?.trim() || undefined,
    subtitle: info.subtitle?.trim() || undefined,
    authors: uniqueStrings(info.authors ?? []).map((name) => ({ name })),
    publisher: info.publisher?.trim() || undefined,
    publishedYear: yearOf(info.publishedDate),
    publishedDate: isoDate(info.publishedDate),
    description: info.description?.trim() || undefined,
    isbn,
    genres: uniqueStrings((info.categories ?? []).flatMap((c) => c.split(/\s*\/\s*/))),
    language: languageName(info.language),
    rating: info.averageRating && info.averageRating > 0 ? info.averageRating : undefined,
    cover: cover ? { url: cover } : undefined,
  });
  return { id: v.id, fields, sourceRef: `https://books.google.com/books?id=${v.id}` };
}

/** The `q` for a search: quoted `intitle:` and `inauthor:` terms (an author-only fallback search sends `inauthor:` alone). */
export function googleQuery(title: string, author?: string): string {
  const clean = (s: string) => s.replace(/"/g, '').trim();
  const parts = [
    ...(clean(title) ? [`intitle:"${clean(title)}"`] : []),
    ...(author && clean(author) ? [`inauthor:"${clean(author)}"`] : []),
  ];
  return parts.join(' ');
}

/** Google Books: `isbn:` lookup, else `intitle:`/`inauthor:` search; API key optional. */
export const googleBooksDefinition = defineNetworkProvider({
  id: ID,
  description: 'Google Books (www.googleapis.com/books/v1): volume search by title/author or ISBN',
  optionsSchema: OptionsSchema,
  capabilities: { idTypes: ['isbn', 'search'], supportsBatch: false, maxBatchSize: 1, identifies: 'work' },
  setup(options, http) {
    const url = joinUrl(options.baseUrl, '/books/v1/volumes');

    async function volumes(q: string, signal: AbortSignal): Promise<GoogleVolume[]> {
      const res = await http.request({
        url,
        params: { q, maxResults: 10, printType: 'books', ...(options.apiKey ? { key: options.apiKey } : {}) },
        signal,
      });
      if (res.status !== 200) throw clientError(ID, res.status, res.data, 'volumes search');
      return parseBody(VolumesSchema, res.data, 'googlebooks volumes').items;
    }

    async function bySearch(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
      const seen = new Map<string, RawCandidate>();
      return searchInTurn(ctx, notFound(ID), 0.85, async (q) => {
        for (const v of await volumes(googleQuery(q.title, q.author), signal)) {
          if (!seen.has(v.id)) seen.set(v.id, mapGoogleVolume(v));
        }
        return searchResult(ID, ctx, [...seen.values()]);
      });
    }

    return {
      async lookup(ctx, { signal }) {
        const isbn = cleanIsbn(ctx.isbn);
        if (isbn) {
          const hit = (await volumes(`isbn:${isbn}`, signal))[0];
          if (hit) return identifierResult(ID, 'isbn', mapGoogleVolume(hit), [], 0.95);
        }
        if (!ctx.title?.trim()) return notFound(ID, ['no ISBN found and no title to search for']);
        return bySearch(ctx, signal);
      },
    };
  },
});
