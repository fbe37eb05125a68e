/**
 * The fake ABS (mocks/fake-abs) is a model of the real server and may not drift from it: the same
 * scenarios run against both, and what the bridge sees must agree — listing order for the sorts
 * the bridge uses, the tag filter, the fields of a minified listing, the no-op PATCH, batch updates
 * (their count, and the empty, repeated-id and unknown-id batches ABS refuses), and a
 * catch-up before and after books are added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createAbsClient, filterParam } from '../../src/abs/client.js';
import type { AbsClient } from '../../src/abs/types.js';
import { openStateStore } from '../../src/bridge/state/state-store.js';
import { catchUp } from '../../src/bridge/triggers/catch-up.js';
import type { JobRequest } from '../../src/bridge/triggers/job-queue.js';
import { createLogger } from '../../src/logging.js';
import { generateBooks } from './harness/library.js';
import { ensureRealAbs, realAbsAvailable, sleep } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;
const TAG = 'fidelity:tag';

/** One server as the scenarios drive it. */
interface Side {
  name: string;
  client: AbsClient;
  libraryId: string;
  /** Adds `n` books and waits until ABS lists them. */
  add(n: number): Promise<void>;
  tag(itemId: string): Promise<void>;
}

/** What the bridge sees of a server in one scenario, in a form both servers can be compared on. */
async function observe(side: Side) {
  const list = (sort?: string, desc?: boolean) =>
    side.client
      .listLibraryItems(side.libraryId, { limit: 100, ...(sort ? { sort } : {}), ...(desc ? { desc } : {}) })
      .then((r) => r.results);
  const unsorted = await list();
  const byUpdated = await list('updatedAt', true);
  const byAdded = await list('addedAt', true);
  const added = byAdded.map((i) => i.addedAt ?? 0);
  const first = unsorted[0];
  if (!first) throw new Error(`${side.name}: empty library`);
  await side.tag(first.id);
  const tagged = await side.client.listLibraryItems(side.libraryId, { filter: filterParam('tags', TAG) });
  const item = await side.client.getItem(first.id, { expanded: true });
  const body = { metadata: { publisher: 'Fidelity House' } };
  const once = await side.client.patchMedia(first.id, body);
  const twice = await side.client.patchMedia(first.id, body);
  // Batch updates (bridge/pipeline/item-writes.ts): the count, and what ABS refuses outright.
  const second = unsorted[1];
  if (!second) throw new Error(`${side.name}: one book only`);
  const both = [first.id, second.id].map((id) => ({
    id,
    mediaPayload: { metadata: { publisher: 'Batch House' } },
  }));
  const counts = [await side.client.batchUpdate(both), await side.client.batchUpdate(both)];
  const refusal = (entries: typeof both) =>
    side.client.batchUpdate(entries).then(
      () => 'accepted',
      (e: Error & { status?: number }) => `${e.name} ${e.status ?? ''}`.trim(),
    );
  const refused = {
    empty: await refusal([]),
    repeatedId: await refusal([both[0], both[0]] as typeof both),
    unknownId: await refusal([
      ...both,
      { id: 'li_no_such_item', mediaPayload: { metadata: { publisher: 'Batch House' } } },
    ]),
  };
  return {
    updatedAtSortIgnored: byUpdated.map((i) => i.id).join() === unsorted.map((i) => i.id).join(),
    addedAtDescending: added.every((a, i) => i === 0 || a <= (added[i - 1] as number)),
    listingHasAddedAtAndTags: unsorted.every(
      (i) => typeof i.addedAt === 'number' && Array.isArray(i.media.tags),
    ),
    listingMinified: unsorted.every((i) => (i.media.audioFiles ?? []).length === 0),
    tagFilter: tagged.results.map((i) => i.id).join() === first.id,
    expandedHasAudioFiles: (item?.media.audioFiles ?? []).length > 0,
    patchUpdated: [once.updated, twice.updated],
    batchUpdateCounts: counts,
    batchUpdateRefused: refused,
  };
}

/** Catch-up as the bridge runs it: a first run (baseline), then books added, then a second run. */
async function catchUpTwice(side: Side): Promise<number[]> {
  const store = openStateStore('memory://');
  const queued: JobRequest[] = [];
  const deps = {
    abs: side.client,
    store,
    logger: createLogger({ level: 'silent' }),
    triggerTag: 'bridge:rematch',
    libraryIds: [side.libraryId],
    enqueue: (job: JobRequest) => queued.push(job),
  };
  const first = await catchUp(deps);
  await sleep(20); // addedAt is in ms: books added now are strictly newer
  await side.add(2);
  const second = await catchUp(deps);
  await store.close();
  return [first.queued, second.queued, queued.filter((j) => j.reason === 'catch-up').length];
}

suite('the fake ABS against the real one', () => {
  let world: World;
  let fake: FakeAbs;
  let real: Side;
  let modelled: Side;

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), { name: 'fidelity', books: 4, seed: 43 });
    let extra = 0;
    real = {
      name: 'real ABS',
      client: createAbsClient({ url: world.abs.url, token: world.abs.apiKey }),
      libraryId: world.libraryId,
      async add(n) {
        const before = (await world.api.items(world.libraryId)).length;
        const more = generateBooks(n, 97, extra);
        extra += n;
        await world.addBooks(more);
        await world.api.scan(world.libraryId);
        await world.api.waitForItems(world.libraryId, before + n);
      },
      async tag(itemId) {
        await world.api.call('PATCH', `/api/items/${itemId}/media`, { tags: [TAG] });
      },
    };
    fake = await startFakeAbs({ items: [] });
    modelled = {
      name: 'fake ABS',
      client: createAbsClient({ url: fake.url, token: fake.apiKey }),
      libraryId: fake.libraryId,
      async add(n) {
        fake.addItems(n);
      },
      async tag(itemId) {
        fake.userEdit(itemId, { tags: [TAG] });
      },
    };
    await modelled.add(4);
  });
  afterAll(async () => {
    await fake?.stop();
    await world?.close();
  });

  it('listings, filters, item forms and PATCH answers look the same to the bridge', async () => {
    const seenReal = await observe(real);
    const seenFake = await observe(modelled);
    expect(seenReal.updatedAtSortIgnored, 'real ABS ignores sort=updatedAt').toBe(true);
    expect(seenFake).toEqual(seenReal);
  });

  it('a catch-up before and after two books are added queues the same on both', async () => {
    const r = await catchUpTwice(real);
    const f = await catchUpTwice(modelled);
    expect(r).toEqual([0, 2, 2]);
    expect(f).toEqual(r);
  });
});
