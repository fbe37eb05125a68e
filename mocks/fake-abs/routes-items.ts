import { type Ctx, json, type Reply, type Route, text } from './http.js';
import { toExpanded, toPlain } from './model.js';
import { sameChapters, sidecarToPatch, toChapters } from './patch.js';
import { readItemSidecar } from './watcher.js';

const ID = '([^/]+)';
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function item(ctx: Ctx) {
  return ctx.state.items.get(ctx.params[0] ?? '');
}

/** Cover URLs ABS refuses (its SSRF filter blocks loopback and private addresses). */
function coverUrlAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    return !/^(localhost|127\.|10\.|192\.168\.|\[::1\])/.test(u.hostname);
  } catch {
    return false;
  }
}

function patchMedia(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  ctx.state.patchRequests++;
  const body = isObject(ctx.body) ? ctx.body : {};
  let changed = false;
  if (typeof body.url === 'string' && coverUrlAllowed(body.url)) {
    found.media.coverPath = `/metadata/items/${found.id}/cover.jpg`;
    changed = true;
  }
  const patched = ctx.state.patchMedia(found, body);
  if (changed && !patched) ctx.state.afterChange(found);
  // No-op: the `updated` key is absent, not false (30c_patch_media_phm_clean_identical_noop.json).
  return json(
    changed || patched ? { updated: true, libraryItem: toPlain(found) } : { libraryItem: toPlain(found) },
  );
}

function postChapters(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  const list = isObject(ctx.body) ? ctx.body.chapters : undefined;
  const next = Array.isArray(list) && list.every(isObject) ? toChapters(list) : null;
  if (!next) return text('Bad Request', 400);
  if (sameChapters(found.media.chapters, next)) return json({ success: true, updated: false });
  found.media.chapters = next;
  ctx.state.afterChange(found);
  return json({ success: true, updated: true });
}

function postCover(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  const url = isObject(ctx.body) ? ctx.body.url : undefined;
  if (typeof url !== 'string') return text('Invalid request no file or url', 400);
  if (!coverUrlAllowed(url)) return text('Failed to download image from url', 400);
  found.media.coverPath = `/metadata/items/${found.id}/cover.jpg`;
  ctx.state.afterChange(found);
  return json({ success: true, cover: found.media.coverPath });
}

function patchCover(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  const cover = isObject(ctx.body) ? ctx.body.cover : undefined;
  if (typeof cover !== 'string' || /^https?:/i.test(cover)) return text('Invalid cover path', 500);
  if (!cover.startsWith('/')) return text('Cover path does not exist', 500);
  // A path inside the item folder is used in place; anything else is copied to the metadata dir.
  const ext = cover.slice(cover.lastIndexOf('.')) || '.jpg';
  const stored = cover.startsWith(`${found.path}/`) ? cover : `/metadata/items/${found.id}/cover${ext}`;
  if (found.media.coverPath === stored) return json({ success: true, cover: stored });
  found.media.coverPath = stored;
  ctx.state.afterChange(found);
  return json({ success: true, cover: stored });
}

function deleteCover(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  found.media.coverPath = null;
  ctx.state.afterChange(found);
  return text('OK');
}

function batchUpdate(ctx: Ctx): Reply {
  // ABS 2.36 refuses an empty list and a list naming an item twice before it looks anything up.
  if (!Array.isArray(ctx.body) || ctx.body.length === 0) return text('Bad Request', 400);
  const entries = ctx.body.filter(isObject);
  const ids = new Set(entries.map((e) => e.id).filter((id) => typeof id === 'string'));
  if (ids.size !== ctx.body.length) return text('Bad Request', 400);
  if (entries.some((e) => typeof e.id !== 'string' || !ctx.state.items.has(e.id)))
    return text('Not Found', 404);
  let updates = 0;
  for (const e of entries) {
    ctx.state.patchRequests++;
    const target = ctx.state.items.get(e.id as string);
    if (target && ctx.state.patchMedia(target, isObject(e.mediaPayload) ? e.mediaPayload : {})) updates++;
  }
  return json({ success: true, updates });
}

function batchGet(ctx: Ctx): Reply {
  const ids = isObject(ctx.body) ? ctx.body.libraryItemIds : undefined;
  if (!Array.isArray(ids)) return text('Invalid request body', 400);
  // Database order, not request order (61_batch_get.json).
  const wanted = new Set(ids);
  const libraryItems = [...ctx.state.items.values()].filter((i) => wanted.has(i.id)).map(toExpanded);
  return json({ libraryItems });
}

function deleteItem(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  ctx.state.items.delete(found.id);
  ctx.state.broadcast('item_removed', { id: found.id, libraryId: found.libraryId });
  return text('OK');
}

/**
 * `POST /api/items/:id/scan`: re-reads the item folder's metadata.json (ABS's `absMetadata`,
 * last in the default precedence, so it wins). Nulls and empty lists are skipped, as
 * AbsMetadataFileScanner does, so a sidecar can never blank a field.
 */
function scanItem(ctx: Ctx): Reply {
  const found = item(ctx);
  if (!found) return text('Not Found', 404);
  if (found.isMissing) return json({ result: 'REMOVED' });
  const root = ctx.state.opts.libraryRoot;
  const sidecar = root ? readItemSidecar(root, found) : undefined;
  if (!sidecar) return json({ result: 'UPTODATE' });
  return json({ result: ctx.state.patchMedia(found, sidecarToPatch(sidecar)) ? 'UPDATED' : 'UPTODATE' });
}

/** /api/items/* routes. */
export function itemRoutes(): Route[] {
  const r = (method: string, pattern: RegExp, handler: Route['handler']): Route => ({
    method,
    pattern,
    handler,
    auth: true,
  });
  return [
    r('POST', /^\/api\/items\/batch\/update$/, batchUpdate),
    r('POST', /^\/api\/items\/batch\/get$/, batchGet),
    r('GET', new RegExp(`^/api/items/${ID}$`), (ctx) => {
      const found = item(ctx);
      if (!found) return text('Not Found', 404);
      const expanded = ctx.query.get('expanded') === '1';
      return json(expanded ? toExpanded(found) : toPlain(found));
    }),
    r('DELETE', new RegExp(`^/api/items/${ID}$`), deleteItem),
    r('PATCH', new RegExp(`^/api/items/${ID}/media$`), patchMedia),
    r('POST', new RegExp(`^/api/items/${ID}/chapters$`), postChapters),
    r('POST', new RegExp(`^/api/items/${ID}/cover$`), postCover),
    r('PATCH', new RegExp(`^/api/items/${ID}/cover$`), patchCover),
    r('DELETE', new RegExp(`^/api/items/${ID}/cover$`), deleteCover),
    r('POST', new RegExp(`^/api/items/${ID}/scan$`), scanItem),
  ];
}
