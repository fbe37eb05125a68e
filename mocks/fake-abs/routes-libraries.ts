import { type Ctx, json, type Reply, type Route, text } from './http.js';
import { type FakeItem, toExpanded, toMinified } from './model.js';

const ID = '([^/]+)';

/** Reads a dotted sort key (`addedAt`, `media.metadata.title`, derived `media.metadata.authorName`…). */
function sortValue(item: FakeItem, key: string): unknown {
  const read = (from: unknown) => {
    let value = from;
    for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
    return value;
  };
  // The stored form answers most keys; only derived ones need the (costly) expanded form.
  return read(item) ?? read(toExpanded(item));
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** `filter=<group>.<base64>` and `filter=issues`, the forms the bridge uses. */
function matchesFilter(item: FakeItem, filter: string | null): boolean {
  if (!filter) return true;
  if (filter === 'issues') return item.isMissing || item.isInvalid;
  const dot = filter.indexOf('.');
  if (dot < 0) return true;
  const group = filter.slice(0, dot);
  const value = Buffer.from(decodeURIComponent(filter.slice(dot + 1)), 'base64').toString('utf8');
  const m = item.media.metadata;
  switch (group) {
    case 'authors':
      return m.authors.some((a) => a.id === value);
    case 'series':
      return m.series.some((s) => s.id === value);
    case 'tags':
      return item.media.tags.includes(value);
    case 'genres':
      return m.genres.includes(value);
    case 'narrators':
      return m.narrators.includes(value);
    default:
      return true;
  }
}

/**
 * The sorts ABS 2.36 applies (`libraryItemsBookFilters.js`, `getOrder`). Any other key — `updatedAt`
 * among them — is echoed as `sortBy` but ignored: insertion order, `desc` changes nothing.
 */
const ABS_SORTS = new Set([
  'addedAt',
  'size',
  'birthtimeMs',
  'mtimeMs',
  'media.duration',
  'media.metadata.publishedYear',
  'media.metadata.authorNameLF',
  'media.metadata.authorName',
  'media.metadata.title',
]);

/** `GET /api/libraries/:id/items`: always minified, whatever `minified` says (14_ vs 14b_). */
function listItems(ctx: Ctx): Reply {
  const libraryId = ctx.params[0] ?? '';
  if (!ctx.state.libraries.has(libraryId)) return text('Not Found', 404);
  const q = ctx.query;
  const limit = Math.max(0, Number(q.get('limit') ?? 0) || 0);
  const page = Math.max(0, Number(q.get('page') ?? 0) || 0);
  const sortBy = q.get('sort');
  const sortDesc = q.get('desc') === '1' || q.get('desc') === 'true';
  let items = [...ctx.state.items.values()].filter(
    (i) => i.libraryId === libraryId && matchesFilter(i, q.get('filter')),
  );
  if (sortBy && ABS_SORTS.has(sortBy)) {
    const keyed = items.map((item) => ({ item, key: sortValue(item, sortBy) }));
    keyed.sort((a, b) => compare(a.key, b.key) * (sortDesc ? -1 : 1));
    items = keyed.map((k) => k.item);
  }
  const offset = page * limit;
  const slice = limit > 0 ? items.slice(offset, offset + limit) : items;
  return json({
    results: slice.map(toMinified),
    total: items.length,
    limit,
    page,
    ...(sortBy ? { sortBy } : {}),
    sortDesc,
    mediaType: 'book',
    minified: q.get('minified') === '1',
    collapseseries: false,
    include: q.get('include') ?? '',
    offset,
  });
}

/** /api/libraries*, /api/settings, /api/tasks. */
export function libraryRoutes(scan: (libraryId: string) => void): Route[] {
  const r = (method: string, pattern: RegExp, handler: Route['handler']): Route => ({
    method,
    pattern,
    handler,
    auth: true,
  });
  return [
    r('GET', /^\/api\/libraries$/, (ctx) => json({ libraries: [...ctx.state.libraries.values()] })),
    r('GET', new RegExp(`^/api/libraries/${ID}$`), (ctx) => {
      const lib = ctx.state.libraries.get(ctx.params[0] ?? '');
      return lib ? json(lib) : text('Not Found', 404);
    }),
    r('GET', new RegExp(`^/api/libraries/${ID}/items$`), listItems),
    r('POST', new RegExp(`^/api/libraries/${ID}/scan$`), (ctx) => {
      const id = ctx.params[0] ?? '';
      if (!ctx.state.libraries.has(id)) return text('Not Found', 404);
      scan(id);
      return text('OK');
    }),
    r('PATCH', /^\/api\/settings$/, (ctx) => {
      const body = (ctx.body ?? {}) as { storeMetadataWithItem?: unknown };
      if (typeof body.storeMetadataWithItem === 'boolean')
        ctx.state.opts.storeMetadataWithItem = body.storeMetadataWithItem;
      return json({
        success: true,
        serverSettings: { storeMetadataWithItem: ctx.state.opts.storeMetadataWithItem },
      });
    }),
    r('GET', /^\/api\/tasks$/, () => json({ tasks: [] })),
  ];
}
