import { z } from 'zod';
import { cleanIsbn } from '../../domain/identifiers.js';
import type { LookupContext } from '../../domain/lookup.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { notFound, type ProviderResult } from '../../domain/provider-result.js';
import type { ProviderHttp } from '../types.js';
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
import { searchQueries } from './scoring.js';
import { languageName, uniqueStrings, yearOf } from './text.js';

const OptionsSchema = networkOptions(
  { rateLimit: { perMinute: 60, burst: 1 }, weight: 0.7 },
  z.url().default('https://openlibrary.org'),
  {},
);
export type OpenLibraryOptions = z.infer<typeof OptionsSchema>;
const ID = 'openlibrary';
const FIELDS = 'key,title,subtitle,author_name,first_publish_year,cover_i,isbn,language,subject,publisher';

const DocSchema = z.object({
  key: z.string(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  author_name: z.array(z.string()).nullish(),
  first_publish_year: z.number().nullish(),
  cover_i: z.number().nullish(),
  isbn: z.array(z.string()).nullish(),
  language: z.array(z.string()).nullish(),
  subject: z.array(z.string()).nullish(),
});
export type OpenLibraryDoc = z.infer<typeof DocSchema>;
const SearchSchema = z.object({ docs: z.array(DocSchema) });
/** `description` is a string or `{type:"/type/text", value}`. */
const TextSchema = z.union([z.string(), z.object({ value: z.string() }).transform((t) => t.value)]);
/** A work (`works/{id}.json`). */
export const OpenLibraryWorkSchema = z.object({
  title: z.string().nullish(),
  description: TextSchema.nullish(),
  covers: z.array(z.number()).nullish(),
});
export type OpenLibraryWork = z.infer<typeof OpenLibraryWorkSchema>;
const EditionSchema = z.object({
  title: z.string(),
  subtitle: z.string().nullish(),
  publishers: z.array(z.string()).nullish(),
  publish_date: z.string().nullish(),
  covers: z.array(z.number()).nullish(),
  works: z.array(z.object({ key: z.string() })).nullish(),
  languages: z.array(z.object({ key: z.string() })).nullish(),
  isbn_13: z.array(z.string()).nullish(),
  isbn_10: z.array(z.string()).nullish(),
});
export type OpenLibraryEdition = z.infer<typeof EditionSchema>;

// Subjects that are catalogue bookkeeping, not genres.
const NOISE =
  /[:=]|accessible book|protected daisy|in library|translations into|large type|open library|bestseller/i;

const coverUrl = (id: number) => `https://covers.openlibrary.org/b/id/${id}-L.jpg`;
const workId = (key: string) => key.replace(/^\/?works\//, '');

/** Pure: a search doc → candidate fields (the ISBN only when it is the one asked for). */
export function mapOpenLibraryDoc(doc: OpenLibraryDoc, askedIsbn?: string): RawCandidate {
  const fields = compact({
    title: doc.title?.trim() || undefined,
    subtitle: doc.subtitle?.trim() || undefined,
    authors: uniqueStrings(doc.author_name ?? []).map((name) => ({ name })),
    publishedYear: doc.first_publish_year ? String(doc.first_publish_year) : undefined,
    language: doc.language?.length === 1 ? languageName(doc.language[0]) : undefined,
    tags: uniqueStrings((doc.subject ?? []).filter((s) => !NOISE.test(s))).slice(0, 10),
    cover: doc.cover_i && doc.cover_i > 0 ? { url: coverUrl(doc.cover_i) } : undefined,
    isbn: askedIsbn && doc.isbn?.some((i) => cleanIsbn(i) === askedIsbn) ? askedIsbn : undefined,
  });
  return { id: workId(doc.key), fields, sourceRef: `https://openlibrary.org/works/${workId(doc.key)}` };
}

/** Pure: the work's description and first real cover (Open Library uses -1 for "none"). */
export function mapOpenLibraryWork(work: OpenLibraryWork): PartialMetadata {
  const cover = (work.covers ?? []).find((c) => c > 0);
  return compact({
    description: work.description?.trim() || undefined,
    cover: cover ? { url: coverUrl(cover) } : undefined,
  });
}

/** Pure: an edition (isbn/{isbn}.json) → this edition's fields. */
export function mapOpenLibraryEdition(e: OpenLibraryEdition): PartialMetadata {
  const cover = (e.covers ?? []).find((c) => c > 0);
  return compact({
    title: e.title.trim(),
    subtitle: e.subtitle?.trim() || undefined,
    publisher: e.publishers?.[0]?.trim() || undefined,
    publishedYear: yearOf(e.publish_date),
    language: languageName(e.languages?.[0]?.key),
    isbn: cleanIsbn(e.isbn_13?.[0]) ?? cleanIsbn(e.isbn_10?.[0]),
    cover: cover ? { url: coverUrl(cover) } : undefined,
  });
}

function createClient(http: ProviderHttp, baseUrl: string) {
  const get = async <S extends z.ZodType>(
    path: string,
    params: Record<string, string | number>,
    schema: S,
    signal: AbortSignal,
  ) => {
    const res = await http.request({ url: joinUrl(baseUrl, path), params, signal });
    if (res.status === 404) return null;
    if (res.status !== 200) throw clientError(ID, res.status, res.data, path);
    return parseBody(schema, res.data, `openlibrary ${path}`) as z.infer<S>;
  };
  return {
    search: (params: Record<string, string | number>, signal: AbortSignal) =>
      get('/search.json', { ...params, fields: FIELDS, limit: 10 }, SearchSchema, signal),
    work: (id: string, signal: AbortSignal) =>
      get(`/works/${encodeURIComponent(id)}.json`, {}, OpenLibraryWorkSchema, signal),
    edition: (isbn: string, signal: AbortSignal) => get(`/isbn/${isbn}.json`, {}, EditionSchema, signal),
  };
}

/** Open Library: ISBN lookup, else title/author search; the chosen work adds description and cover. */
export const openLibraryDefinition = defineNetworkProvider({
  id: ID,
  description: 'Open Library (openlibrary.org): search, works and ISBN editions',
  optionsSchema: OptionsSchema,
  capabilities: { idTypes: ['isbn', 'search'], supportsBatch: false, maxBatchSize: 1, identifies: 'work' },
  setup(options, http) {
    const client = createClient(http, options.baseUrl);

    async function enrich(found: RawCandidate, signal: AbortSignal): Promise<RawCandidate> {
      const work = await client.work(found.id, signal);
      return work
        ? {
            ...found,
            fields: {
              ...found.fields,
              ...mapOpenLibraryWork(work),
              ...(found.fields.cover ? { cover: found.fields.cover } : {}),
            },
          }
        : found;
    }

    async function byIsbn(isbn: string, signal: AbortSignal): Promise<ProviderResult | undefined> {
      const doc = (await client.search({ isbn }, signal))?.docs[0];
      if (doc)
        return identifierResult(ID, 'isbn', await enrich(mapOpenLibraryDoc(doc, isbn), signal), [], 0.95);
      const edition = await client.edition(isbn, signal);
      if (!edition) return undefined;
      return identifierResult(
        ID,
        'isbn',
        { id: isbn, fields: mapOpenLibraryEdition(edition) },
        ['edition only: no work found for the ISBN'],
        0.9,
      );
    }

    async function bySearch(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
      const q = searchQueries(ctx)[0];
      if (!q) return notFound(ID);
      const docs =
        (await client.search({ title: q.title, ...(q.author ? { author: q.author } : {}) }, signal))?.docs ??
        [];
      const result = searchResult(
        ID,
        ctx,
        docs.map((d) => mapOpenLibraryDoc(d)),
      );
      const best = result.candidates[0];
      if (!best || best.score < 0.5) return result;
      const enriched = await enrich({ id: best.id, fields: best.fields ?? {} }, signal);
      return { ...result, fields: enriched.fields };
    }

    return {
      async lookup(ctx, { signal }) {
        const isbn = cleanIsbn(ctx.isbn);
        const direct = isbn ? await byIsbn(isbn, signal) : undefined;
        if (direct) return direct;
        if (!ctx.title?.trim()) return notFound(ID, ['no ISBN found and no title to search for']);
        return bySearch(ctx, signal);
      },
    };
  },
});
