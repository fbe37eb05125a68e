/**
 * Against the real ABS 2.36: ABS's own batch Quick Match over 50 books, using the bridge's
 * custom-provider endpoint (`/abs-provider`) registered as a custom metadata provider in ABS.
 * ABS does the writing; the bridge only answers searches. Its service watches another (empty)
 * library: the bridge writing to a book while ABS's batch still holds a stale copy of it is what
 * kills ABS 2.36 (docs/abs.md, "ABS dies during Quick Match").
 * If ABS dies anyway, the test says so, restarts it and checks the bridge still answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Service, startService } from '../../src/app/service.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logging.js';
import { absApi } from './harness/api.js';
import {
  absAlive,
  absFatalLines,
  ensureRealAbs,
  type RealAbs,
  realAbsAvailable,
  waitFor,
} from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;
const BOOKS = 50;

suite('real ABS: batch Quick Match through the bridge endpoint', () => {
  let abs: RealAbs;
  let world: World;
  let service: Service;
  let token: string;
  let providerId: string | undefined;
  let otherDir: string;
  let otherLibraryId: string | undefined;

  beforeAll(async () => {
    abs = await ensureRealAbs();
    otherDir = await mkdtemp(path.join(tmpdir(), 'real-abs-quick-match-other-'));
    await mkdir(path.join(otherDir, 'library'));
    otherLibraryId = await absApi(abs).createLibrary(
      `quick-match-other-${path.basename(otherDir)}`,
      path.join(otherDir, 'library'),
    );
    token = randomBytes(18).toString('base64url');
    world = await createWorld(abs, {
      name: 'quick-match',
      books: BOOKS,
      seed: 19,
      config: { abs: { libraryIds: [otherLibraryId] }, http: { port: 0, token } },
    });
    service = await startService(parseConfig(world.config), silentLogger());
    const created = await world.api.call<{ provider: { id: string } }>(
      'POST',
      '/api/custom-metadata-providers',
      {
        name: `bridge-${path.basename(world.dir)}`,
        url: `${service.url}/abs-provider`,
        mediaType: 'book',
        authHeaderValue: token,
      },
    );
    providerId = created.provider.id;
  });

  afterAll(async () => {
    if (await absAlive(abs.url)) {
      if (providerId)
        await world.api.call('DELETE', `/api/custom-metadata-providers/${providerId}`).catch(() => undefined);
      if (otherLibraryId)
        await world.api.call('DELETE', `/api/libraries/${otherLibraryId}`).catch(() => undefined);
    }
    await service?.stop();
    await world?.close();
    await rm(otherDir, { recursive: true, force: true });
  });

  /** What the bridge's endpoint answers for a book, asked the way ABS asks. */
  async function bridgeAnswer(title: string, author: string): Promise<{ title: string; asin?: string }[]> {
    const q = new URLSearchParams({ mediaType: 'book', query: title, author });
    const res = await fetch(`${service.url}/abs-provider/search?${q}`, { headers: { authorization: token } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { matches: { title: string; asin?: string }[] }).matches;
  }

  it(`matches each of ${BOOKS} books to the right one (ASIN, title, author), and ABS survives`, async () => {
    expect(await absAlive(abs.url), 'ABS was down before the scenario').toBe(true);
    const items = await world.api.items(world.libraryId);
    expect(items).toHaveLength(BOOKS);
    const byBook = new Map(
      world.books.map((b) => {
        const item = items.find((i) => i.path.endsWith(path.join(b.authors[0] as string, b.title)));
        return [b, item?.id as string] as const;
      }),
    );
    const fatalBefore = absFatalLines(abs.log);
    await world.api.call('POST', '/api/items/batch/quickmatch', {
      options: { provider: `custom-${providerId}`, overrideDefaults: true, overrideDetails: true },
      libraryItemIds: [...byBook.values()],
    });

    let died: string[] | undefined;
    const matched = await waitFor(
      `ABS's quick match to give all ${BOOKS} books an ASIN`,
      async () => {
        if (!(await absAlive(abs.url))) {
          died = absFatalLines(abs.log).filter((l) => !fatalBefore.includes(l));
          return 'died';
        }
        const listed = await Promise.all([...byBook.values()].map((id) => world.api.item(id)));
        return listed.every((i) => i.media.metadata.asin) ? listed : undefined;
      },
      240_000,
    );
    if (died) {
      await ensureRealAbs();
      const book = world.books[0];
      expect(book && (await bridgeAnswer(book.title, book.authors[0] as string))[0]?.asin).toBe(book?.asin);
      expect.fail(
        `ABS died during its batch Quick Match (restarted; the bridge still answers):\n${died.join('\n')}`,
      );
    }
    expect(await absAlive(abs.url), 'ABS died after the batch').toBe(true);
    for (const [book, id] of byBook) {
      const item = await world.api.item(id);
      expect(item.media.metadata.asin, book.title).toBe(book.asin);
      expect(item.media.metadata.title).toBe(book.title);
      expect(item.media.metadata.authors.map((a) => a.name)).toEqual(book.authors);
      expect(item.media.metadata.publisher).toBe(book.publisher);
    }
    expect(matched).toHaveLength(BOOKS);
  });
});
