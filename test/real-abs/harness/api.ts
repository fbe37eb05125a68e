/** A thin test-side client for the real ABS: what a scenario asserts on afterwards. */
import type { RealAbs } from './server.js';
import { waitFor } from './server.js';

export interface AbsApi {
  call<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  createLibrary(name: string, folder: string): Promise<string>;
  scan(libraryId: string): Promise<void>;
  /** Every item of a library (minified, as ABS lists them). */
  items(libraryId: string): Promise<ListedItem[]>;
  waitForItems(libraryId: string, count: number, timeoutMs?: number): Promise<ListedItem[]>;
  item(id: string): Promise<ExpandedItem>;
}

export interface ListedItem {
  id: string;
  path: string;
  addedAt: number;
  updatedAt: number;
  media: { metadata: { title?: string | null }; tags?: string[] };
}

export interface ExpandedItem {
  id: string;
  path: string;
  updatedAt: number;
  media: {
    tags: string[];
    metadata: {
      title: string | null;
      asin: string | null;
      publisher: string | null;
      description: string | null;
      narrators: string[];
      authors: { name: string }[];
      publishedYear: string | null;
    };
  };
}

export function absApi(abs: RealAbs): AbsApi {
  async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${abs.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${abs.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`ABS ${method} ${route} → ${res.status} ${text.slice(0, 200)}`);
    // Some routes answer plain text ("OK").
    if (!text || !(res.headers.get('content-type') ?? '').includes('json')) return text as T;
    return JSON.parse(text) as T;
  }
  const api: AbsApi = {
    call,
    async createLibrary(name, folder) {
      const lib = await call<{ id: string }>('POST', '/api/libraries', {
        name,
        folders: [{ fullPath: folder }],
        mediaType: 'book',
      });
      return lib.id;
    },
    async scan(libraryId) {
      await call('POST', `/api/libraries/${libraryId}/scan`);
    },
    async items(libraryId) {
      const out: ListedItem[] = [];
      for (let page = 0; ; page++) {
        const res = await call<{ results: ListedItem[]; total: number }>(
          'GET',
          `/api/libraries/${libraryId}/items?limit=200&page=${page}`,
        );
        out.push(...res.results);
        if (res.results.length < 200 || out.length >= res.total) return out;
      }
    },
    waitForItems(libraryId, count, timeoutMs = 120_000) {
      return waitFor(
        `${count} items in library ${libraryId}`,
        async () => {
          const items = await api.items(libraryId);
          return items.length >= count ? items : undefined;
        },
        timeoutMs,
      );
    },
    item(id) {
      return call<ExpandedItem>('GET', `/api/items/${id}?expanded=1`);
    },
  };
  return api;
}
