/**
 * A local stand-in for the Audible catalog API (`/1.0/catalog/products`), serving the benchmark
 * catalogue as Audible-shaped JSON on loopback. Its relevance ranking is deliberately imperfect,
 * like the real one: token overlap with the query, popular books boosted, a little per-query
 * noise, typos not forgiven, results capped at `num_results` (≤ 25).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { foldText } from '../../src/matching/normalize.js';
import { hashUnit } from './rng.js';
import type { CatalogueRecord } from './types.js';

const STOP = new Set(['the', 'a', 'an', 'of', 'and', 'in', 'to', 'on', 'for', 'by', 'with']);

function tokens(text: string): string[] {
  return foldText(text)
    .split(' ')
    .filter((t) => t.length > 0 && !STOP.has(t));
}

/** Audible catalog product JSON (the fields our mapping reads). */
export function toProduct(r: CatalogueRecord): Record<string, unknown> {
  return {
    asin: r.asin,
    title: r.title,
    ...(r.subtitle ? { subtitle: r.subtitle } : {}),
    authors: r.authors.map((name) => ({ name })),
    narrators: r.narrators.map((name) => ({ name })),
    runtime_length_min: r.minutes,
    release_date: r.released,
    language: r.language,
    format_type: 'unabridged',
    content_delivery_type: 'SinglePartBook',
    ...(r.series
      ? { series: [{ asin: `S${r.asin.slice(1)}`, title: r.series.title, sequence: r.series.sequence }] }
      : {}),
  };
}

interface Indexed {
  record: CatalogueRecord;
  tokens: Set<string>;
  popularity: number;
}

/** Ranks the catalogue for a keyword query; exported so baselines and tests can call it directly. */
export function createSearchIndex(records: readonly CatalogueRecord[]) {
  const docs: Indexed[] = records.map((record) => ({
    record,
    tokens: new Set(tokens(`${record.title} ${record.subtitle ?? ''} ${record.authors.join(' ')}`)),
    popularity: Math.log10(1 + record.ratings) / 4,
  }));
  const postings = new Map<string, Indexed[]>();
  for (const d of docs) for (const t of d.tokens) postings.set(t, [...(postings.get(t) ?? []), d]);
  const byAsin = new Map(records.map((r) => [r.asin, r]));

  const titleTokens = new Map(
    records.map((r) => [r.asin, new Set(tokens(`${r.title} ${r.subtitle ?? ''}`))]),
  );
  const authorTokens = new Map(records.map((r) => [r.asin, new Set(tokens(r.authors.join(' ')))]));
  /**
   * Audible's `title=` / `author=` parameters: every word of each must be in that field (no
   * relevance noise needed: the set is what it is), most popular first.
   */
  function fieldSearch(title: string, author: string, limit: number): CatalogueRecord[] {
    const t = tokens(title);
    const a = tokens(author);
    if (!t.length && !a.length) return [];
    const pool = t.length
      ? (postings.get(t[0] ?? '') ?? [])
      : a.length
        ? (postings.get(a[0] ?? '') ?? [])
        : [];
    return pool
      .filter(
        (d) =>
          t.every((x) => titleTokens.get(d.record.asin)?.has(x)) &&
          a.every((x) => authorTokens.get(d.record.asin)?.has(x)),
      )
      .sort((x, y) => y.popularity - x.popularity)
      .slice(0, Math.min(limit, 25))
      .map((d) => d.record);
  }

  function search(keywords: string, limit: number): CatalogueRecord[] {
    const q = [...new Set(tokens(keywords))];
    if (!q.length) return [];
    const hits = new Map<Indexed, number>();
    for (const t of q) for (const d of postings.get(t) ?? []) hits.set(d, (hits.get(d) ?? 0) + 1);
    const scored = [...hits]
      .filter(([, n]) => n / q.length >= 0.5)
      .map(([d, n]) => ({
        d,
        s:
          n / q.length -
          0.3 * (1 - n / d.tokens.size) +
          d.popularity +
          0.25 * hashUnit(`${keywords}|${d.record.asin}`),
      }))
      .sort((a, b) => b.s - a.s);
    return scored.slice(0, Math.min(limit, 25)).map((x) => x.d.record);
  }
  return { search, fieldSearch, byAsin };
}

/** Starts the mock on 127.0.0.1, port 0. Counts requests so the report can show the load. */
export async function startMockAudible(
  records: readonly CatalogueRecord[],
): Promise<{ url: string; server: Server; requests: () => number }> {
  const index = createSearchIndex(records);
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const one = /^\/1\.0\/catalog\/products\/([A-Z0-9]+)$/.exec(url.pathname);
    if (one?.[1]) {
      const r = index.byAsin.get(one[1]);
      // Audible answers unknown ASINs with a 200 placeholder without a title.
      return send(200, {
        product: r ? toProduct(r) : { asin: one[1], asset_details: [] },
        response_groups: [],
      });
    }
    if (url.pathname !== '/1.0/catalog/products') return send(404, { message: 'Not found' });
    const asins = url.searchParams.get('asins');
    const products = asins
      ? asins.split(',').flatMap((a) => {
          const r = index.byAsin.get(a);
          return r ? [toProduct(r)] : [];
        })
      : url.searchParams.has('keywords')
        ? index
            .search(url.searchParams.get('keywords') ?? '', Number(url.searchParams.get('num_results') ?? 10))
            .map(toProduct)
        : index
            .fieldSearch(
              url.searchParams.get('title') ?? '',
              url.searchParams.get('author') ?? '',
              Number(url.searchParams.get('num_results') ?? 10),
            )
            .map(toProduct);
    send(200, { products, total_results: products.length, response_groups: [], product_filters: [] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, requests: () => count };
}
