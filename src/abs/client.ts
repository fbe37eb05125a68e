import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import { ItemNotFoundError, NotFoundError } from '../errors.js';
import { type AbsHttpOptions, createAbsHttp, parseAbs } from './http.js';
import {
  AbsLibraryItemSchema,
  AuthorsResponseSchema,
  BatchGetResponseSchema,
  BatchUpdateResponseSchema,
  ChaptersResponseSchema,
  CoverResponseSchema,
  FilterDataSchema,
  ItemsPageSchema,
  LibrariesResponseSchema,
  LoginResponseSchema,
  NarratorsResponseSchema,
  PatchMediaResponseSchema,
  ScanResponseSchema,
  SeriesPageSchema,
  StatusResponseSchema,
} from './schemas.js';
import type { AbsClient, CountedName, ListItemsOptions } from './types.js';

export type { AbsClient } from './types.js';

/** Builds an ABS `filter` value: `<group>.<base64(value)>`, e.g. `authors.<b64 id>`. */
export function filterParam(group: string, value: string): string {
  return `${group}.${Buffer.from(value, 'utf8').toString('base64')}`;
}

/**
 * The ABS REST client (axios + zod). REST auth is an active API key (or any user JWT);
 * `token` may be a function so the token manager can hand in a fresh JWT.
 */
export function createAbsClient(opts: AbsHttpOptions, instance?: AxiosInstance): AbsClient {
  const http = createAbsHttp(opts, instance);
  const enc = encodeURIComponent;

  async function listLibraryItems(libraryId: string, o: ListItemsOptions = {}) {
    const params = {
      page: o.page ?? 0,
      limit: o.limit ?? 100,
      sort: o.sort,
      desc: o.sort === undefined ? undefined : o.desc ? 1 : 0,
      filter: o.filter,
      minified: 1,
    };
    const res = await http.request({ method: 'GET', path: `/api/libraries/${enc(libraryId)}/items`, params });
    if (res.status === 404) throw notFound(`library ${libraryId}`);
    return parseAbs(ItemsPageSchema, res.data, 'library items');
  }

  return {
    baseUrl: http.baseUrl,
    async getStatus() {
      const res = await http.request({ method: 'GET', path: '/status', auth: false });
      return parseAbs(StatusResponseSchema, res.data, 'status');
    },
    async ping() {
      try {
        const res = await http.request({ method: 'GET', path: '/ping', auth: false, retry: false });
        return res.status === 200;
      } catch {
        return false;
      }
    },
    async getItem(id, o = {}) {
      const params = o.expanded ? { expanded: 1 } : undefined;
      const res = await http.request({ method: 'GET', path: `/api/items/${enc(id)}`, params });
      if (res.status === 404) return null;
      return parseAbs(AbsLibraryItemSchema, res.data, `item ${id}`);
    },
    async listLibraries() {
      const res = await http.request({ method: 'GET', path: '/api/libraries' });
      const { libraries } = parseAbs(LibrariesResponseSchema, res.data, 'libraries');
      return libraries.filter((l) => l.mediaType === 'book');
    },
    listLibraryItems,
    async *iterateLibraryItems(libraryId, o = {}) {
      const limit = o.limit ?? 100;
      for (let page = o.page ?? 0; ; page++) {
        const res = await listLibraryItems(libraryId, { ...o, page, limit });
        yield* res.results;
        if (res.results.length < limit || (page + 1) * limit >= res.total) return;
      }
    },
    async patchMedia(id, body) {
      const res = await http.request({ method: 'PATCH', path: `/api/items/${enc(id)}/media`, body });
      if (res.status === 404) throw new ItemNotFoundError(id);
      const parsed = parseAbs(PatchMediaResponseSchema, res.data, `PATCH item ${id}`);
      // ABS omits `updated` entirely on a no-op; absent means false.
      return { updated: parsed.updated === true, libraryItem: parsed.libraryItem };
    },
    async updateChapters(id, chapters) {
      const body = { chapters: chapters.map(({ start, end, title }) => ({ start, end, title })) };
      const res = await http.request({ method: 'POST', path: `/api/items/${enc(id)}/chapters`, body });
      if (res.status === 404) throw new ItemNotFoundError(id);
      return { updated: parseAbs(ChaptersResponseSchema, res.data, `chapters ${id}`).updated };
    },
    async uploadCoverFromUrl(id, url) {
      const res = await http.request({ method: 'POST', path: `/api/items/${enc(id)}/cover`, body: { url } });
      if (res.status === 404) throw new ItemNotFoundError(id);
      return { cover: parseAbs(CoverResponseSchema, res.data, `cover ${id}`).cover };
    },
    async setCoverPath(id, path) {
      // ABS answers a bad path with a deterministic 500: do not retry it.
      const req = { method: 'PATCH', path: `/api/items/${enc(id)}/cover`, body: { cover: path } } as const;
      const res = await http.request({ ...req, retry: false });
      if (res.status === 404) throw new ItemNotFoundError(id);
      return { cover: parseAbs(CoverResponseSchema, res.data, `cover ${id}`).cover };
    },
    async deleteCover(id) {
      const res = await http.request({ method: 'DELETE', path: `/api/items/${enc(id)}/cover` });
      if (res.status === 404) throw new ItemNotFoundError(id);
    },
    async batchUpdate(entries) {
      const res = await http.request({ method: 'POST', path: '/api/items/batch/update', body: entries });
      if (res.status === 404) throw notFound('an item of the batch');
      return parseAbs(BatchUpdateResponseSchema, res.data, 'batch update').updates;
    },
    async getLibraryNames(libraryId) {
      const res = await http.request({ method: 'GET', path: `/api/libraries/${enc(libraryId)}/filterdata` });
      if (res.status === 404) return null;
      const data = parseAbs(FilterDataSchema, res.data, `library ${libraryId} filterdata`);
      return {
        authors: data.authors.map((a) => a.name),
        series: data.series.map((s) => s.name),
        narrators: data.narrators,
      };
    },
    async getLibraryPeople(libraryId) {
      const base = `/api/libraries/${enc(libraryId)}`;
      const read = async <T>(
        path: string,
        schema: z.ZodType<T>,
        what: string,
        params?: Record<string, number>,
      ) => {
        const res = await http.request({
          method: 'GET',
          path: `${base}${path}`,
          ...(params ? { params } : {}),
        });
        if (res.status === 404) throw notFound(`library ${libraryId}`);
        return parseAbs(schema, res.data, what);
      };
      const authors = await read('/authors', AuthorsResponseSchema, 'authors');
      const narrators = await read('/narrators', NarratorsResponseSchema, 'narrators');
      const series: CountedName[] = [];
      for (let page = 0; ; page++) {
        const res = await read('/series', SeriesPageSchema, 'series', { limit: 500, page });
        series.push(...res.results.map((s) => ({ id: s.id, name: s.name, books: s.books?.length ?? 0 })));
        if (res.results.length < 500 || series.length >= res.total) break;
      }
      return {
        authors: authors.authors.map((a) => ({ id: a.id, name: a.name, books: a.numBooks ?? 0 })),
        narrators: narrators.narrators.map((n) => ({ name: n.name, books: n.numBooks ?? 0 })),
        series,
      };
    },
    async batchGet(ids) {
      const body = { libraryItemIds: ids };
      const res = await http.request({ method: 'POST', path: '/api/items/batch/get', body });
      return parseAbs(BatchGetResponseSchema, res.data, 'batch get').libraryItems;
    },
    async scanItem(id) {
      const res = await http.request({ method: 'POST', path: `/api/items/${enc(id)}/scan` });
      if (res.status === 404) throw new ItemNotFoundError(id);
      return parseAbs(ScanResponseSchema, res.data, `scan ${id}`).result;
    },
    async login(username, password) {
      const res = await http.request({
        method: 'POST',
        path: '/login',
        body: { username, password },
        headers: { 'x-return-tokens': 'true' },
        auth: false,
        retry: false, // /login is rate-limited (10 per 600 s)
      });
      return parseAbs(LoginResponseSchema, res.data, 'login');
    },
    async refresh(refreshToken) {
      const res = await http.request({
        method: 'POST',
        path: '/auth/refresh',
        headers: { 'x-refresh-token': refreshToken, 'x-return-tokens': 'true' },
        auth: false,
        retry: false,
      });
      return parseAbs(LoginResponseSchema, res.data, 'refresh');
    },
  };
}

function notFound(what: string) {
  return new AbsNotFoundError(what);
}

/** A write addressed something ABS does not know (reads return `null` instead). */
export class AbsNotFoundError extends NotFoundError {
  constructor(what: string) {
    super('ABS_NOT_FOUND', `ABS: ${what} not found`);
  }
}
