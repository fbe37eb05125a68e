import { z } from 'zod';
import { normalizeAsin } from '../../../domain/identifiers.js';
import type { LookupContext } from '../../../domain/lookup.js';
import { notFound, type ProviderResult } from '../../../domain/provider-result.js';
import { identifierResult, type RawCandidate, searchResult } from '../common.js';
import { defineNetworkProvider, networkOptions, RegionSchema } from '../options.js';
import { pickRegion } from '../regions.js';
import { editionCheckQuery, searchInTurn } from '../scoring.js';
import { audibleRoot, createAudibleClient } from './api.js';
import { mapAudibleProduct } from './map.js';
import type { AudibleProduct } from './schema.js';

const OptionsSchema = networkOptions(
  { rateLimit: { perMinute: 60, burst: 5 }, cacheTtlSeconds: 24 * 3600 },
  z.url().optional(),
  { region: RegionSchema.default('us') },
);
export type AudibleOptions = z.infer<typeof OptionsSchema>;
const ID = 'audible';
/** A search stops trying further query forms once a candidate scores this well. */
const GOOD_ENOUGH = 0.85;
/** Products asked for per search. */
const SEARCH_PAGE = 20;
const MAX_BATCH = 50;

/** Audible catalog: search by keywords (title + author), or products by ASIN (batched with `asins=`). */
export const audibleDefinition = defineNetworkProvider({
  id: ID,
  description: 'Audible catalog (api.audible.*): keyword search and product lookup by ASIN',
  optionsSchema: OptionsSchema,
  capabilities: { idTypes: ['asin', 'search'], supportsBatch: true, maxBatchSize: MAX_BATCH },
  setup(options, http) {
    const client = createAudibleClient(http);
    const rootFor = (ctx: LookupContext) =>
      audibleRoot(options.baseUrl, pickRegion(ctx.region, options.region));

    async function byAsin(ctx: LookupContext, asin: string, signal: AbortSignal): Promise<ProviderResult> {
      const product = await client.product(rootFor(ctx), asin, signal);
      const mapped = product ? mapAudibleProduct(product, asin) : null;
      if (!mapped) return notFound(ID, [`${asin} is not sold as a book in this Audible marketplace`]);
      return identifierResult(ID, 'asin', mapped, [], 1);
    }

    async function bySearch(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
      const seen = new Map<string, RawCandidate>();
      // Whether some query returned fewer products than asked: then it showed every match.
      let exhaustive = false;
      const add = (products: AudibleProduct[]) => {
        for (const p of products) {
          const mapped = mapAudibleProduct(p);
          if (mapped && !seen.has(mapped.id)) seen.set(mapped.id, mapped);
        }
      };
      // The ordinary query forms, then typo-repair / author-only ones if nothing was worth a review.
      const result = await searchInTurn(ctx, notFound(ID), GOOD_ENOUGH, async (query) => {
        const products = await client.search(
          rootFor(ctx),
          { keywords: query.keywords, numResults: SEARCH_PAGE },
          signal,
        );
        exhaustive ||= products.length < SEARCH_PAGE;
        add(products);
        return { ...searchResult(ID, ctx, [...seen.values()]), exhaustive };
      });
      // Only the right work so far, and the searches were cut: list that work's editions.
      const check = exhaustive ? undefined : editionCheckQuery(ctx, result.candidates[0]);
      if (!check) return result;
      const editions = await client.search(rootFor(ctx), { ...check, numResults: SEARCH_PAGE }, signal);
      add(editions);
      return { ...searchResult(ID, ctx, [...seen.values()]), exhaustive: editions.length < SEARCH_PAGE };
    }

    async function lookup(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
      const asin = normalizeAsin(ctx.asin);
      if (asin) {
        const found = await byAsin(ctx, asin, signal);
        if (found.success || !ctx.title) return found;
      }
      if (!ctx.title?.trim()) return notFound(ID, ['no ASIN and no title to search for']);
      return bySearch(ctx, signal);
    }

    // One `asins=` request per marketplace for the contexts with an ASIN; the rest are searched.
    async function batchChunk(ctxs: LookupContext[], signal: AbortSignal): Promise<ProviderResult[]> {
      const asins = ctxs.map((c) => normalizeAsin(c.asin));
      const byRoot = new Map<string, string[]>();
      ctxs.forEach((c, i) => {
        const asin = asins[i];
        if (asin) byRoot.set(rootFor(c), [...(byRoot.get(rootFor(c)) ?? []), asin]);
      });
      const found = new Map<string, RawCandidate>();
      for (const [root, list] of byRoot) {
        for (const p of await client.batch(root, list, signal)) {
          const mapped = mapAudibleProduct(p);
          if (mapped?.fields.asin) found.set(`${root}|${mapped.fields.asin}`, mapped);
        }
      }
      return Promise.all(
        ctxs.map((c, i) => {
          const asin = asins[i];
          const hit = asin ? found.get(`${rootFor(c)}|${asin}`) : undefined;
          return hit ? Promise.resolve(identifierResult(ID, 'asin', hit, [], 1)) : lookup(c, signal);
        }),
      );
    }

    return {
      lookup: (ctx, { signal }) => lookup(ctx, signal),
      async lookupBatch(ctxs, { signal }) {
        const results: ProviderResult[] = [];
        for (let i = 0; i < ctxs.length; i += MAX_BATCH) {
          results.push(...(await batchChunk(ctxs.slice(i, i + MAX_BATCH), signal)));
        }
        return results;
      },
    };
  },
});
