/**
 * Bench-local Audible-shaped provider: searches the mock over HTTP with `searchInTurn` (the
 * ordinary `searchQueries`, then `fallbackQueries` when nothing was worth a review), maps products
 * to canonical fields and ranks them with `rankCandidates` — the same flow as the real audible
 * provider, kept here so the benchmark measures the matching engine alone.
 */

import { normalizeAsin } from '../../src/domain/identifiers.js';
import type { LookupContext } from '../../src/domain/lookup.js';
import type { PartialMetadata } from '../../src/domain/metadata.js';
import { emptyResult, type ProviderResult } from '../../src/domain/provider-result.js';
import { editionCheckQuery, searchInTurn } from '../../src/matching/queries.js';
import { rankCandidates } from '../../src/matching/score.js';
import type { AsyncProvider } from '../../src/providers/types.js';

interface Product {
  asin: string;
  title?: string;
  subtitle?: string;
  authors?: { name: string }[];
  narrators?: { name: string }[];
  runtime_length_min?: number;
  language?: string;
  release_date?: string;
  series?: { title: string; sequence?: string }[];
}

/** Audible product → canonical fields (pure). */
export function mapProduct(p: Product): PartialMetadata & { asin: string } {
  return {
    asin: p.asin,
    ...(p.title ? { title: p.title } : {}),
    ...(p.subtitle ? { subtitle: p.subtitle } : {}),
    authors: (p.authors ?? []).map((a) => ({ name: a.name })),
    narrators: (p.narrators ?? []).map((n) => n.name),
    ...(p.runtime_length_min ? { durationSeconds: p.runtime_length_min * 60 } : {}),
    ...(p.language ? { language: p.language } : {}),
    ...(p.release_date ? { publishedDate: p.release_date } : {}),
    series: (p.series ?? []).map((s) => ({ name: s.title, sequence: s.sequence ?? null })),
    customFields: {},
  };
}

/** GET `path` on the mock and return its JSON. */
export async function getJson<T>(base: string, path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(`${base}${path}`, signal ? { signal } : {});
  if (!res.ok) throw new Error(`mock answered ${res.status} for ${path}`);
  return (await res.json()) as T;
}

/** The search API answers with its top N only (Audible's default page is 10 products). */
export const TOP_N = 10;

export async function searchMock(base: string, keywords: string, signal?: AbortSignal): Promise<Product[]> {
  const q = new URLSearchParams({ keywords, num_results: String(TOP_N), products_sort_by: 'Relevance' });
  return (await getJson<{ products: Product[] }>(base, `/1.0/catalog/products?${q}`, signal)).products;
}

/** Audible's field search (`title=`, `author=`): every word must be in that field. */
export async function fieldSearchMock(
  base: string,
  q: { title: string; author?: string },
  signal?: AbortSignal,
): Promise<Product[]> {
  const params = new URLSearchParams({ title: q.title, num_results: String(TOP_N) });
  if (q.author) params.set('author', q.author);
  return (await getJson<{ products: Product[] }>(base, `/1.0/catalog/products?${params}`, signal)).products;
}

/** Stops trying further query forms once the best candidate is this good. */
const GOOD_ENOUGH = 0.9;

export function createBenchAudible(base: string): AsyncProvider {
  async function lookup(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
    const asin = normalizeAsin(ctx.asin);
    if (asin) {
      const { product } = await getJson<{ product: Product }>(base, `/1.0/catalog/products/${asin}`, signal);
      if (product.title) return resultOf(ctx, [mapProduct(product)], 'asin');
    }
    const seen = new Map<string, PartialMetadata & { asin: string }>();
    let exhaustive = false;
    const add = (products: Product[]) => {
      for (const p of products) if (p.title && !seen.has(p.asin)) seen.set(p.asin, mapProduct(p));
    };
    const result = await searchInTurn(ctx, emptyResult('audible'), GOOD_ENOUGH, async (query) => {
      const products = await searchMock(base, query.keywords, signal);
      exhaustive ||= products.length < TOP_N;
      add(products);
      return { ...resultOf(ctx, [...seen.values()], 'search'), exhaustive };
    });
    const check = exhaustive ? undefined : editionCheckQuery(ctx, result.candidates[0]);
    if (!check) return result;
    const editions = await fieldSearchMock(base, check, signal);
    add(editions);
    return { ...resultOf(ctx, [...seen.values()], 'search'), exhaustive: editions.length < TOP_N };
  }
  return {
    id: 'audible',
    kind: 'network',
    mode: 'async',
    weight: 1,
    capabilities: { idTypes: ['asin', 'search'], supportsBatch: false, maxBatchSize: 1 },
    lookup: (ctx, { signal }) => lookup(ctx, signal),
  };
}

/**
 * Audnexus-shaped: looks an ASIN up (never searches), answering with the record as an identifier
 * lookup (score 1) — the provider that laundered weak search matches into certain ones when an
 * ASIN a search found was followed up (issue #13).
 */
export function createBenchAudnexus(base: string): AsyncProvider {
  return {
    id: 'audnexus',
    kind: 'network',
    mode: 'async',
    weight: 1,
    capabilities: { idTypes: ['asin'], supportsBatch: false, maxBatchSize: 1 },
    async lookup(ctx, { signal }) {
      const asin = normalizeAsin(ctx.asin);
      if (!asin) return emptyResult('audnexus');
      const { product } = await getJson<{ product: Product }>(base, `/1.0/catalog/products/${asin}`, signal);
      if (!product.title) return emptyResult('audnexus');
      const fields = mapProduct(product);
      return {
        ...resultOf(ctx, [fields], 'asin', 'audnexus'),
        candidates: [
          {
            id: fields.asin,
            provider: 'audnexus',
            score: 1,
            explanation: { asin: 'identifier lookup' },
            fields,
          },
        ],
      };
    },
  };
}

/**
 * Open-Library-shaped: the same catalogue collapsed to works (title and authors; no narrator,
 * length or ASIN), searched with the same ranking. A work-level provider: it fills fields, its
 * agreement does not make an edition certain.
 */
export function createBenchWorks(base: string): AsyncProvider {
  return {
    id: 'works',
    kind: 'network',
    mode: 'async',
    weight: 0.7,
    capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1, identifies: 'work' },
    async lookup(ctx, { signal }) {
      const works = new Map<string, PartialMetadata & { asin: string }>();
      return searchInTurn(ctx, emptyResult('works'), GOOD_ENOUGH, async (query) => {
        for (const p of await searchMock(base, query.keywords, signal)) {
          const key = `${p.title}|${(p.authors ?? []).map((a) => a.name).join(',')}`.toLowerCase();
          if (!p.title || works.has(key)) continue;
          const { narrators: _n, durationSeconds: _d, asin: _a, publishedDate: _p, ...work } = mapProduct(p);
          works.set(key, { ...work, asin: `work:${key}` });
        }
        const result = resultOf(ctx, [...works.values()], 'search', 'works');
        const { asin: _workKey, ...fields } = result.fields;
        return { ...result, fields };
      });
    },
  };
}

function resultOf(
  ctx: LookupContext,
  found: (PartialMetadata & { asin: string })[],
  by: 'asin' | 'search',
  provider = 'audible',
): ProviderResult {
  const ranked = rankCandidates(ctx, found);
  const best = ranked[0];
  if (!best) return emptyResult(provider);
  return {
    provider,
    success: true,
    fields: best.candidate,
    confidence: {},
    matchConfidence: by === 'asin' ? 1 : best.score,
    matchedBy: by,
    candidates: ranked.slice(0, 10).map((r) => ({
      id: r.candidate.asin,
      provider,
      ...(r.candidate.title ? { title: r.candidate.title } : {}),
      authors: (r.candidate.authors ?? []).map((a) => a.name),
      score: r.score,
      explanation: r.explanation,
      fields: r.candidate,
    })),
    fetchedAt: new Date().toISOString(),
    cached: false,
  };
}
