import { z } from 'zod';
import { notFound } from '../../domain/provider-result.js';
import { clientError, compact, joinUrl, parseBody, type RawCandidate, searchResult } from './common.js';
import { defineNetworkProvider, networkOptions } from './options.js';
import { searchInTurn } from './scoring.js';
import { isoDate, uniqueStrings, yearOf } from './text.js';

const OptionsSchema = networkOptions(
  { rateLimit: { perMinute: 20, burst: 2 }, weight: 0.6 },
  z.url().default('https://itunes.apple.com'),
  { country: z.string().length(2).default('US') },
);
export type ITunesOptions = z.infer<typeof OptionsSchema>;
const ID = 'itunes';
/** Artwork edge we ask for: what ABS uses, and every iTunes audiobook has it. */
const ARTWORK = 600;

const ResultSchema = z.object({
  wrapperType: z.string().nullish(),
  collectionId: z.number(),
  collectionName: z.string().nullish(),
  artistName: z.string().nullish(),
  releaseDate: z.string().nullish(),
  primaryGenreName: z.string().nullish(),
  description: z.string().nullish(),
  collectionExplicitness: z.string().nullish(),
  artworkUrl60: z.string().nullish(),
  artworkUrl100: z.string().nullish(),
  artworkUrl600: z.string().nullish(),
});
export type ITunesAudiobook = z.infer<typeof ResultSchema>;
const SearchSchema = z.object({ resultCount: z.number().nullish(), results: z.array(ResultSchema) });

/** The square artwork URL rewritten to a larger size ("…/100x100bb.jpg" → "…/600x600bb.jpg"). */
export function largerArtwork(url: string, size = ARTWORK): string {
  return url.replace(/\/\d+x\d+bb(\.\w+)$/, `/${size}x${size}bb$1`);
}

/** Pure: an iTunes audiobook → canonical fields. No narrator, series, ASIN or ISBN exist here. */
export function mapITunesAudiobook(r: ITunesAudiobook): RawCandidate {
  const rawTitle = r.collectionName?.trim() ?? '';
  const edition = /\s*\((Unabridged|Abridged)\)\s*$/i.exec(rawTitle);
  const art = r.artworkUrl600 ?? r.artworkUrl100 ?? r.artworkUrl60;
  const fields = compact({
    title: edition ? rawTitle.slice(0, edition.index).trim() : rawTitle || undefined,
    authors: uniqueStrings((r.artistName ?? '').split(/\s+&\s+/)).map((name) => ({ name })),
    publishedYear: yearOf(r.releaseDate),
    publishedDate: isoDate(r.releaseDate),
    genres: r.primaryGenreName ? [r.primaryGenreName] : undefined,
    description: r.description?.trim() || undefined,
    ...(edition ? { abridged: edition[1]?.toLowerCase() === 'abridged' } : {}),
    ...(r.collectionExplicitness ? { explicit: r.collectionExplicitness === 'explicit' } : {}),
    cover: art ? { url: largerArtwork(art), width: ARTWORK, height: ARTWORK } : undefined,
  });
  return { id: String(r.collectionId), fields, ...(edition ? { raw: { title: rawTitle } } : {}) };
}

/** iTunes Search: audiobooks by term (title + author, then title; typo repairs or the author alone when those find nothing worth a review). */
export const iTunesDefinition = defineNetworkProvider({
  id: ID,
  description: 'iTunes Search (itunes.apple.com): audiobooks by title/author, large artwork',
  optionsSchema: OptionsSchema,
  capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1, identifies: 'work' },
  setup(options, http) {
    const url = joinUrl(options.baseUrl, '/search');
    return {
      async lookup(ctx, { signal }) {
        if (!ctx.title?.trim()) return notFound(ID, ['no title to search for']);
        const seen = new Map<string, RawCandidate>();
        return searchInTurn(ctx, notFound(ID), 0.85, async (q) => {
          const res = await http.request({
            url,
            params: {
              term: q.keywords,
              media: 'audiobook',
              entity: 'audiobook',
              country: options.country,
              limit: 25,
            },
            signal,
          });
          if (res.status !== 200) throw clientError(ID, res.status, res.data, 'search');
          for (const r of parseBody(SearchSchema, res.data, 'itunes search').results) {
            if (r.wrapperType && r.wrapperType !== 'audiobook') continue;
            const mapped = mapITunesAudiobook(r);
            if (mapped.fields.title && !seen.has(mapped.id)) seen.set(mapped.id, mapped);
          }
          return searchResult(ID, ctx, [...seen.values()]);
        });
      },
    };
  },
});
