import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BridgeService } from '../../bridge/service/types.js';
import { ConflictError, InvalidRequestError, UnknownItemError } from '../../errors.js';
import { ItemsQuery, queryItems, SEARCHABLE_RECENT } from './items-query.js';

const ItemParams = z.object({
  id: z.string().regex(/^[\w.-]{1,128}$/, 'item id: letters, digits, dot, dash or underscore'),
});
/** A person's title/author or ASIN for one re-match (a rejected book's "search again"). */
const Hint = z
  .strictObject({
    title: z.string().trim().min(1).max(300).optional(),
    author: z.string().trim().min(1).max(300).optional(),
    asin: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{10}$/, 'an ASIN is 10 letters or digits, like B08G9PRS1K')
      .transform((s) => s.toUpperCase())
      .optional(),
  })
  .refine((h) => h.title || h.author || h.asin, 'give a title, an author or an ASIN');
const RematchBody = z.strictObject({
  refresh: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  hint: Hint.optional(),
});
const ApproveBody = z.strictObject({ candidate: z.number().int().min(0).optional() });
const EmptyBody = z.strictObject({});
const BackfillBody = z.strictObject({
  libraryId: z.string().regex(/^[\w.-]{1,128}$/, 'library id: letters, digits, dot, dash or underscore'),
  mode: z.enum(['all', 'unmatched', 'incomplete'], { error: 'mode is all, unmatched or incomplete' }),
  dryRun: z.boolean().optional(),
});

/** Parses outside input with zod; a failure is a 400 naming every bad field. */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new InvalidRequestError(what, issues);
}

/** Resolves the item or answers 404. */
async function knownItem(service: BridgeService, id: string) {
  const item = await service.getItem(id);
  if (!item) throw new UnknownItemError(id);
  return item;
}

/** The JSON API the web page and scripts use. Auth and cross-site checks run before these. */
export function registerApiRoutes(app: FastifyInstance, service: BridgeService): void {
  app.get('/api/status', async () => service.status());

  // The library view: newest first, filtered and paged over the bridge's recent records.
  app.get('/api/items', async (request) => {
    const query = parse(ItemsQuery, request.query, 'query');
    return queryItems(await service.recentItems(SEARCHABLE_RECENT), query, service.status());
  });

  app.get('/api/items/:id', async (request) => {
    const { id } = parse(ItemParams, request.params, 'path');
    return knownItem(service, id);
  });

  // Re-match works for any ABS item, also one the bridge has not seen: the bridge answers 404.
  app.post('/api/items/:id/rematch', async (request) => {
    const { id } = parse(ItemParams, request.params, 'path');
    const body = parse(RematchBody, request.body, 'body');
    return service.rematch(id, body);
  });

  app.post('/api/items/:id/undo', async (request) => {
    const { id } = parse(ItemParams, request.params, 'path');
    parse(EmptyBody, request.body, 'body');
    return service.undo(id);
  });

  app.get('/api/review', async () => ({ items: await service.listReview() }));
  app.get('/api/waiting', async () => ({ items: await service.listWaiting() }));

  app.post('/api/review/:id/approve', async (request) => {
    const { id } = parse(ItemParams, request.params, 'path');
    const { candidate } = parse(ApproveBody, request.body, 'body');
    return service.approve(id, candidate);
  });

  app.post('/api/review/:id/reject', async (request, reply) => {
    const { id } = parse(ItemParams, request.params, 'path');
    parse(EmptyBody, request.body, 'body');
    await service.reject(id);
    return reply.code(200).send({ itemId: id, rejected: true });
  });

  // Backfill from the page: one at a time; progress also goes out as `backfill` events.
  app.get('/api/libraries', async () => ({ libraries: await service.listLibraries() }));

  app.post('/api/backfill', async (request, reply) => {
    const body = parse(BackfillBody, request.body, 'body');
    const started = await service.startBackfill(body);
    return reply.code(202).send(started);
  });

  app.get('/api/backfill', async () => ({ backfill: service.backfillStatus() }));

  app.post('/api/backfill/stop', async () => {
    const status = service.stopBackfill();
    if (!status) throw new ConflictError('NO_BACKFILL', 'no backfill was started');
    return { backfill: status };
  });
}
