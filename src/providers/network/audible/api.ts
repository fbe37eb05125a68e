import type { ProviderHttp } from '../../types.js';
import { clientError, joinUrl, parseBody } from '../common.js';
import { AUDIBLE_TLD, type Region } from '../regions.js';
import { type AudibleProduct, AudibleProductEnvelopeSchema, AudibleSearchSchema } from './schema.js';

const ID = 'audible';
/** Everything the mapper reads; without response groups Audible returns only ASINs. */
export const RESPONSE_GROUPS =
  'contributors,product_attrs,product_desc,product_extended_attrs,series,media,rating,category_ladders';
const IMAGE_SIZES = '500,1024';

/** The catalog root: the configured baseUrl wins over the region's `api.audible.{tld}`. */
export function audibleRoot(baseUrl: string | undefined, region: Region): string {
  return baseUrl ?? `https://api.audible.${AUDIBLE_TLD[region]}`;
}

export interface AudibleSearchParams {
  keywords?: string;
  title?: string;
  author?: string;
  numResults: number;
}

/** Thin I/O over the public Audible catalog (no auth); bodies zod-validated. */
export function createAudibleClient(http: ProviderHttp) {
  const products = (root: string) => joinUrl(root, '/1.0/catalog/products');
  return {
    async search(root: string, q: AudibleSearchParams, signal?: AbortSignal): Promise<AudibleProduct[]> {
      const res = await http.request({
        url: products(root),
        params: {
          ...(q.keywords ? { keywords: q.keywords } : {}),
          ...(q.title ? { title: q.title } : {}),
          ...(q.author ? { author: q.author } : {}),
          num_results: q.numResults,
          products_sort_by: 'Relevance',
          response_groups: RESPONSE_GROUPS,
          image_sizes: IMAGE_SIZES,
        },
        ...(signal ? { signal } : {}),
      });
      if (res.status !== 200) throw clientError(ID, res.status, res.data, 'catalog search');
      return parseBody(AudibleSearchSchema, res.data, 'audible catalog search').products;
    },
    /** One product by ASIN; null when Audible answers 404. Placeholders are returned as-is. */
    async product(root: string, asin: string, signal?: AbortSignal): Promise<AudibleProduct | null> {
      const res = await http.request({
        url: joinUrl(products(root), encodeURIComponent(asin)),
        params: { response_groups: RESPONSE_GROUPS, image_sizes: IMAGE_SIZES },
        ...(signal ? { signal } : {}),
      });
      if (res.status === 404) return null;
      if (res.status !== 200) throw clientError(ID, res.status, res.data, `product ${asin}`);
      return parseBody(AudibleProductEnvelopeSchema, res.data, `audible product ${asin}`).product;
    },
    /** Several products in one request (`asins=`), in Audible's order. */
    async batch(root: string, asins: string[], signal?: AbortSignal): Promise<AudibleProduct[]> {
      const res = await http.request({
        url: products(root),
        params: { asins: asins.join(','), response_groups: RESPONSE_GROUPS, image_sizes: IMAGE_SIZES },
        ...(signal ? { signal } : {}),
      });
      if (res.status !== 200) throw clientError(ID, res.status, res.data, 'batch product lookup');
      return parseBody(AudibleSearchSchema, res.data, 'audible asins lookup').products;
    },
  };
}
