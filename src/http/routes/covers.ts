import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BridgeService, ItemRecord } from '../../bridge/service/types.js';
import { InvalidRequestError, NotFoundError } from '../../errors.js';

/** Where covers are kept and how they are fetched (a stub in tests). */
export interface CoverOptions {
  /** `<dataDir>/covers`: one file per cover URL, kept until removed by hand. */
  dir: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const MAX_BYTES = 5 * 1024 * 1024;
const Params = z.object({ id: z.string().regex(/^[\w.-]{1,128}$/) });
const Query = z.object({ candidate: z.coerce.number().int().min(0).max(100).optional() });

/**
 * `GET /api/covers/:id[?candidate=n]`: the item's merged cover (or candidate n's), fetched once
 * from the provider, kept on disk and served by the bridge, so the page never hot-links a CDN and
 * works offline once a cover was seen. Only URLs from the item's own record are fetched.
 */
export function registerCoverRoutes(
  app: FastifyInstance,
  service: BridgeService,
  options: CoverOptions,
): void {
  const get = options.fetch ?? fetch;
  const pending = new Map<string, Promise<Cover | null>>();

  app.get('/api/covers/:id', async (request, reply) => {
    const params = Params.safeParse(request.params);
    const query = Query.safeParse(request.query);
    if (!params.success || !query.success)
      throw new InvalidRequestError('cover request', ['give an item id and, optionally, ?candidate=<n>']);
    const record = await service.getItem(params.data.id);
    const url = record ? coverUrl(record, query.data.candidate) : undefined;
    if (!url) throw new NotFoundError('NO_COVER', 'no cover known for this item');
    const key = createHash('sha256').update(url).digest('hex');
    let cover = await readCover(options.dir, key);
    if (!cover) {
      // One download per URL even when the page asks for it several times at once.
      let job = pending.get(key);
      if (!job) {
        job = download(get, url, options.timeoutMs ?? 10_000)
          .then(async (c) => {
            if (c) await writeCover(options.dir, key, c);
            return c;
          })
          .catch((err) => {
            request.log.warn({ err: (err as Error).message, host: new URL(url).host }, 'cover not fetched');
            return null;
          })
          .finally(() => pending.delete(key));
        pending.set(key, job);
      }
      cover = await job;
    }
    if (!cover) throw new NotFoundError('NO_COVER', 'the cover could not be fetched');
    return reply
      .header('content-type', cover.type)
      .header('cache-control', 'private, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(cover.body);
  });
}

interface Cover {
  type: string;
  body: Buffer;
}

function coverUrl(record: ItemRecord, candidate: number | undefined): string | undefined {
  const result = record.result;
  const cover =
    candidate === undefined ? result?.metadata.cover : result?.candidates[candidate]?.fields?.cover;
  const url = cover?.url;
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

async function download(get: typeof fetch, url: string, timeoutMs: number): Promise<Cover | null> {
  const res = await get(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok || !/^image\/(jpeg|png|webp|gif|avif)/i.test(type)) return null;
  const body = Buffer.from(await res.arrayBuffer());
  return body.length > 0 && body.length <= MAX_BYTES ? { type: type.split(';')[0] as string, body } : null;
}

async function readCover(dir: string, key: string): Promise<Cover | null> {
  try {
    const [type, body] = await Promise.all([
      readFile(join(dir, `${key}.type`), 'utf8'),
      readFile(join(dir, key)),
    ]);
    return { type, body };
  } catch {
    return null;
  }
}

/** Written beside, then renamed: a reader never sees half a file. */
async function writeCover(dir: string, key: string, cover: Cover): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${key}.type`), cover.type);
  await writeFile(join(dir, `${key}.part`), cover.body);
  await rename(join(dir, `${key}.part`), join(dir, key));
}
