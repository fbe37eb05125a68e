import { z } from 'zod';
import { cleanIsbn, normalizeAsin } from '../../../domain/identifiers.js';
import type { LookupContext } from '../../../domain/lookup.js';
import { notFound, type ProviderResult } from '../../../domain/provider-result.js';
import { ProviderError } from '../../../errors.js';
import type { ProviderHttp } from '../../types.js';
import {
  clientError,
  identifierResult,
  joinUrl,
  parseBody,
  type RawCandidate,
  searchResult,
} from '../common.js';
import { defineNetworkProvider, networkOptions } from '../options.js';
import { searchInTurn } from '../scoring.js';
import { mapHardcoverBook, mapHardcoverDocument } from './map.js';
import { BY_ASIN_QUERY, BY_ID_QUERY, BY_ISBN_QUERY, SEARCH_QUERY } from './queries.js';
import {
  GraphqlEnvelopeSchema,
  HardcoverBookByIdDataSchema,
  HardcoverBooksDataSchema,
  HardcoverSearchDataSchema,
} from './schema.js';

const OptionsSchema = networkOptions(
  { enabled: false, rateLimit: { perMinute: 60, burst: 10 }, weight: 0.9 },
  z.url().default('https://api.hardcover.app'),
  { token: z.string().optional() },
);
export type HardcoverOptions = z.infer<typeof OptionsSchema>;
const ID = 'hardcover';
/** Details are fetched for the best search hit only when it is at least this plausible. */
const DETAIL_THRESHOLD = 0.5;
const GOOD_ENOUGH = 0.85;

/** POSTs one GraphQL document; GraphQL errors inside a 200 become a ProviderError. */
export function createHardcoverClient(http: ProviderHttp, baseUrl: string, token: string) {
  const authorization = /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
  return async function graphql<S extends z.ZodType>(
    operationName: string,
    query: string,
    variables: Record<string, unknown>,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    const res = await http.request({
      method: 'POST',
      url: joinUrl(baseUrl, '/v1/graphql'),
      headers: { authorization, 'content-type': 'application/json' },
      body: { operationName, query, variables },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 408)
      throw new ProviderError(ID, 'UPSTREAM_TIMEOUT', 'HTTP 408 from Hardcover', {
        retryable: true,
        status: 408,
      });
    if (res.status !== 200) throw clientError(ID, res.status, res.data, operationName);
    const envelope = parseBody(GraphqlEnvelopeSchema, res.data, `hardcover ${operationName}`);
    if (envelope.errors?.length) {
      const messages = envelope.errors.map((e) => e.message).join('; ');
      throw new ProviderError(ID, 'GRAPHQL_ERROR', `${operationName}: ${messages}`, {
        retryable: false,
        status: 200,
      });
    }
    return parseBody(schema, envelope.data, `hardcover ${operationName}`);
  };
}

/** Hardcover (GraphQL, bearer token): by ASIN on audio editions, by ISBN, else search. */
export const hardcoverDefinition = defineNetworkProvider({
  id: ID,
  description: 'Hardcover (api.hardcover.app GraphQL): search, ISBN and audio-edition ASIN lookups',
  optionsSchema: OptionsSchema,
  capabilities: {
    idTypes: ['asin', 'isbn', 'search'],
    supportsBatch: false,
    maxBatchSize: 1,
    identifies: 'work',
  },
  // Enabled without a token: said once instead of failing every lookup with 401.
  unavailable: (options) =>
    options.token
      ? undefined
      : 'hardcover is enabled but has no token (providers.hardcover.token or HARDCOVER_TOKEN); skipped',
  setup(options, http) {
    if (!options.token)
      throw new Error('hardcover needs a token (providers.hardcover.token or HARDCOVER_TOKEN)');
    const graphql = createHardcoverClient(http, options.baseUrl, options.token);

    async function byIdentifier(
      ctx: LookupContext,
      signal: AbortSignal,
    ): Promise<ProviderResult | undefined> {
      const asin = normalizeAsin(ctx.asin);
      if (asin) {
        const data = await graphql(
          'BridgeBookByAsin',
          BY_ASIN_QUERY,
          { asin },
          HardcoverBooksDataSchema,
          signal,
        );
        const book = data.books[0];
        if (book) return identifierResult(ID, 'asin', mapHardcoverBook(book), [], 0.98);
      }
      const isbn = cleanIsbn(ctx.isbn);
      if (isbn) {
        const data = await graphql(
          'BridgeBookByIsbn',
          BY_ISBN_QUERY,
          { isbn },
          HardcoverBooksDataSchema,
          signal,
        );
        const book = data.books[0];
        if (book) return identifierResult(ID, 'isbn', mapHardcoverBook(book), [], 0.97);
      }
      return undefined;
    }

    async function withDetails(best: RawCandidate, signal: AbortSignal): Promise<RawCandidate> {
      const id = Number(best.id);
      if (!Number.isInteger(id)) return best;
      const data = await graphql('BridgeBookById', BY_ID_QUERY, { id }, HardcoverBookByIdDataSchema, signal);
      if (!data.books_by_pk) return best;
      const detail = mapHardcoverBook(data.books_by_pk);
      return { ...detail, fields: { ...best.fields, ...detail.fields } };
    }

    async function bySearch(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
      const seen = new Map<string, RawCandidate>();
      const result = await searchInTurn(ctx, notFound(ID), GOOD_ENOUGH, async (q) => {
        const data = await graphql(
          'BridgeSearch',
          SEARCH_QUERY,
          { query: q.keywords, perPage: 10 },
          HardcoverSearchDataSchema,
          signal,
        );
        for (const hit of data.search.results?.hits ?? []) {
          const mapped = mapHardcoverDocument(hit.document);
          if (!seen.has(mapped.id)) seen.set(mapped.id, mapped);
        }
        return searchResult(ID, ctx, [...seen.values()]);
      });
      const best = result.candidates[0];
      if (!best || best.score < DETAIL_THRESHOLD) return result;
      const detailed = await withDetails(seen.get(best.id) as RawCandidate, signal);
      return {
        ...result,
        fields: detailed.fields,
        ...(detailed.raw ? { raw: detailed.raw } : {}),
        sourceRefs: { title: detailed.sourceRef ?? '' },
      };
    }

    return {
      async lookup(ctx, { signal }) {
        const direct = await byIdentifier(ctx, signal);
        if (direct) return direct;
        if (!ctx.title?.trim())
          return notFound(ID, ['no identifier Hardcover knows and no title to search for']);
        return bySearch(ctx, signal);
      },
    };
  },
});
