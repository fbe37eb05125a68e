import { ProviderError } from '../../../errors.js';
import type { ProviderHttp } from '../../types.js';
import { clientError, joinUrl, parseBody, upstreamMessage } from '../common.js';
import { type Region, regionOrder } from '../regions.js';
import {
  type AudnexusAuthor,
  AudnexusAuthorSchema,
  AudnexusAuthorSearchSchema,
  type AudnexusBook,
  AudnexusBookSchema,
  type AudnexusChapters,
  AudnexusChaptersSchema,
  audnexusErrorCode,
} from './schema.js';

const ID = 'audnexus';
/** 404 codes meaning "not in this marketplace": worth asking the other regions. */
const REGIONAL_MISS = new Set(['REGION_UNAVAILABLE', 'PRODUCT_DELISTED']);

export interface AudnexusClient {
  /** The book, the region it was found in and notes; null when no region has it. */
  book(
    asin: string,
    region: Region,
    signal?: AbortSignal,
  ): Promise<{ book: AudnexusBook; region: Region; notes: string[] } | null>;
  /** Chapters, or null (404 "has no chapters"). */
  chapters(asin: string, region: Region, signal?: AbortSignal): Promise<AudnexusChapters | null>;
  author(asin: string, region: Region, signal?: AbortSignal): Promise<AudnexusAuthor | null>;
  /** Authors already known to Audnexus whose name matches (≤ 25). */
  searchAuthors(
    name: string,
    region: Region,
    signal?: AbortSignal,
  ): Promise<{ asin: string; name: string }[]>;
}

/** Thin I/O over the Audnexus REST API; every body is zod-validated, every 4xx classified. */
export function createAudnexusClient(http: ProviderHttp, baseUrl: string): AudnexusClient {
  const get = (path: string, region: Region, signal?: AbortSignal) =>
    http.request({ url: joinUrl(baseUrl, path), params: { region }, ...(signal ? { signal } : {}) });

  async function bookIn(
    asin: string,
    region: Region,
    signal?: AbortSignal,
  ): Promise<{ book: AudnexusBook } | { miss: string; message: string | undefined }> {
    const res = await get(`/books/${encodeURIComponent(asin)}`, region, signal);
    if (res.status === 200)
      return { book: parseBody(AudnexusBookSchema, res.data, `audnexus /books/${asin}`) };
    const code = audnexusErrorCode(res.data);
    if (res.status === 404) return { miss: code ?? 'NOT_FOUND', message: upstreamMessage(res.data) };
    if (res.status === 400 && code === 'CONTENT_TYPE_MISMATCH')
      return { miss: code, message: upstreamMessage(res.data) };
    throw clientError(ID, res.status, res.data, `book ${asin} (${region})`);
  }

  return {
    async book(asin, region, signal) {
      const notes: string[] = [];
      for (const r of regionOrder(region)) {
        const found = await bookIn(asin, r, signal);
        if ('book' in found) {
          if (r !== region) notes.push(`found in region ${r} (not available in ${region})`);
          return { book: found.book, region: r, notes };
        }
        if (!REGIONAL_MISS.has(found.miss)) return null;
      }
      return null;
    },
    async chapters(asin, region, signal) {
      const res = await get(`/books/${encodeURIComponent(asin)}/chapters`, region, signal);
      if (res.status === 200)
        return parseBody(AudnexusChaptersSchema, res.data, `audnexus /books/${asin}/chapters`);
      if (res.status === 404) return null;
      throw clientError(ID, res.status, res.data, `chapters ${asin}`);
    },
    async author(asin, region, signal) {
      const res = await get(`/authors/${encodeURIComponent(asin.trim().toUpperCase())}`, region, signal);
      if (res.status === 200) return parseBody(AudnexusAuthorSchema, res.data, `audnexus /authors/${asin}`);
      if (res.status === 404) return null;
      throw clientError(ID, res.status, res.data, `author ${asin}`);
    },
    async searchAuthors(name, region, signal) {
      if (name.trim().length < 2)
        throw new ProviderError(ID, 'BAD_QUERY', 'author search needs at least 2 characters', {
          retryable: false,
        });
      const res = await http.request({
        url: joinUrl(baseUrl, '/authors'),
        params: { name: name.trim(), region },
        ...(signal ? { signal } : {}),
      });
      if (res.status === 200)
        return parseBody(AudnexusAuthorSearchSchema, res.data, 'audnexus /authors?name');
      if (res.status === 404) return [];
      throw clientError(ID, res.status, res.data, 'author search');
    },
  };
}
