import { z } from 'zod';
import type { BridgeStatus, ItemRecord } from '../../bridge/service/types.js';

/** How many recent records the bridge keeps in its index (the store's recent list). */
export const SEARCHABLE_RECENT = 1000;

/** `GET /api/items` query: paging plus the library view's filters. */
export const ItemsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /** Text in the title or the item id, any case. */
  q: z.string().trim().max(200).optional(),
  decision: z.enum(['apply', 'review', 'reject', 'wait']).optional(),
  library: z.string().max(128).optional(),
  /** A provider that supplied at least one field. */
  provider: z.string().max(64).optional(),
  /** `run`: only items whose last step changed fields since this bridge process started. */
  changed: z.enum(['run']).optional(),
});
export type ItemsQuery = z.infer<typeof ItemsQuery>;

export interface ItemsPage {
  items: ItemRecord[];
  total: number;
  offset: number;
  limit: number;
  /** Values the filters can take, from the records searched. */
  facets: { libraries: string[]; providers: string[] };
}

/** Filters and pages the recent records (newest first). Pure; the route fetches the records. */
export function queryItems(records: ItemRecord[], query: ItemsQuery, status: BridgeStatus): ItemsPage {
  const needle = query.q?.toLowerCase();
  const matches = records.filter(
    (r) =>
      (!needle || (r.title ?? '').toLowerCase().includes(needle) || r.itemId.toLowerCase() === needle) &&
      (!query.decision || r.decision === query.decision) &&
      (!query.library || r.libraryId === query.library) &&
      (!query.provider || providersOf(r).includes(query.provider)) &&
      (!query.changed || changedThisRun(r, status.startedAt)),
  );
  return {
    items: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    offset: query.offset,
    limit: query.limit,
    facets: {
      libraries: unique(records.map((r) => r.libraryId)),
      providers: unique(records.flatMap(providersOf)),
    },
  };
}

const providersOf = (r: ItemRecord): string[] => Object.values(r.result?.sources ?? {}) as string[];

function changedThisRun(r: ItemRecord, startedAt: string): boolean {
  const last = r.history.at(-1);
  return Boolean(last && last.at >= startedAt && (last.changedFields?.length ?? 0) > 0);
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}
