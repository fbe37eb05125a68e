import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createRedisLocks } from '../../src/bridge/state/locks.js';
import { openStateStore } from '../../src/bridge/state/state-store.js';
import { redisUrlOrWarn } from '../setup/redis-env.js';
import { cannedBook, type Harness, sleep, startHarness, until } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function sharedFake(): Promise<{ fake: FakeAbs; root: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'bridge-res-'));
  const fake = await startFakeAbs({ items: [], libraryRoot: root, echoDelayMs: 50 });
  cleanups.push(async () => {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  });
  return { fake, root };
}

const books = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ title: `${prefix} ${i}`, author: 'Res Author' }));
const responsesFor = (specs: { title: string }[]) =>
  Object.fromEntries(specs.map((s) => [s.title.toLowerCase(), cannedBook(s.title)]));
const publisherOf = (fake: FakeAbs, id: string) =>
  (fake.expandedItem(id) as { media: { metadata: { publisher: string | null } } }).media.metadata.publisher;

describe('bridge resilience', () => {
  it('catches up on start with items added while it was down, without redoing old ones', async () => {
    const { fake, root } = await sharedFake();
    const specs = books(4, 'Downtime');
    const stateUrl = `sqlite://${path.join(root, 'state.sqlite')}`;
    const open = async () => {
      const store = openStateStore(stateUrl);
      const h = await startHarness({ fake, root, responses: responsesFor(specs), bridge: { store } });
      return { h, store };
    };
    const first = await open();
    await first.h.bridge.start();
    const id0 = await first.h.addBook(specs[0]!);
    await until(async () => (await first.h.bridge.getItem(id0))?.decision === 'apply');
    await first.h.close();
    await first.store.close();
    // ABS keeps working while the bridge is down: the watcher and a scan add books.
    const id1 = fake.addItem(specs[1]!).id;
    const [id2, id3] = fake.addItems([specs[2]!, specs[3]!]).map((i) => i.id);
    const second = await open();
    cleanups.push(async () => {
      await second.h.close();
      await second.store.close();
    });
    await second.h.bridge.start();
    await until(async () =>
      [id1, id2, id3].every((id) => publisherOf(fake, id as string) === 'Canned House'),
    );
    await second.h.bridge.idle();
    expect(fake.patchCount).toBe(4);
  });

  it('finishes a backfill across an ABS restart, each item changed once, and resumes after a crash', async () => {
    const { fake, root } = await sharedFake();
    const specs = books(30, 'Backfill');
    const ids = fake.addItems(specs).map((i) => i.id);
    const stateUrl = `sqlite://${path.join(root, 'state.sqlite')}`;
    const storeA = openStateStore(stateUrl);
    const a = await startHarness({
      fake,
      root,
      responses: responsesFor(specs),
      socket: false,
      // A few at a time, so items are still queued when the bridge "crashes" (their PATCHes no
      // longer wait for each other once the shared author exists).
      config: { bridge: { concurrency: 4 } },
      bridge: { store: storeA },
    });
    let applied = 0;
    a.runtime.events.on('item.applied', () => {
      applied += 1;
    });
    const run = a.bridge.backfill(fake.libraryId, 'all');
    await until(() => applied >= 5);
    await fake.restart({ downMs: 400 }); // ABS goes away mid-run
    await until(() => applied >= 15, 15_000);
    await a.bridge.stop(); // the bridge "crashes": queued items are dropped
    const first = await run;
    expect(first.failed).toBeGreaterThan(0);
    await storeA.close();
    await a.runtime.close();

    const storeB = openStateStore(stateUrl);
    const b = await startHarness({
      fake,
      root,
      responses: responsesFor(specs),
      socket: false,
      bridge: { store: storeB },
    });
    cleanups.push(async () => {
      await b.close();
      await storeB.close();
    });
    const second = await b.bridge.backfill(fake.libraryId, 'all');
    expect(second.resumed).toBe(first.processed);
    expect(second.resumed + second.processed).toBe(30);
    expect(second.failed).toBe(0);
    for (const id of ids) expect(publisherOf(fake, id)).toBe('Canned House');
    expect(fake.changeCount).toBe(30); // a retried item never changed twice
    // The run is finished: the next one starts afresh (and finds nothing to change).
    const third = await b.bridge.backfill(fake.libraryId, 'all');
    expect(third.resumed).toBe(0);
    expect(fake.changeCount).toBe(30);
  });

  it('keeps receiving events after the socket token expired and ABS restarted (re-auth)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'bridge-auth-'));
    const fake = await startFakeAbs({ items: [], libraryRoot: root, accessTokenTtlSeconds: 2 });
    const h: Harness = await startHarness({
      fake,
      root,
      responses: responsesFor([{ title: 'After Expiry' }]),
    });
    cleanups.push(async () => {
      await h.close();
      await fake.stop();
      await rm(root, { recursive: true, force: true });
    });
    await h.bridge.start();
    await until(() => h.bridge.status().socket === 'connected');
    await sleep(2200); // the access token has expired
    await fake.restart({ downMs: 200 });
    await until(() => h.bridge.status().socket === 'connected', 10_000);
    const id = await h.addBook({ title: 'After Expiry', author: 'X' });
    await until(async () => (await h.bridge.getItem(id))?.decision === 'apply');
  });

  it('two bridges on one ABS with Redis never process the same item twice', async () => {
    const url = redisUrlOrWarn();
    if (!url) return;
    const { fake, root } = await sharedFake();
    const specs = books(12, 'Shared');
    const ns = `bridge-test-${randomUUID()}`;
    const mk = async () => {
      const store = openStateStore(url, ns);
      const locks = await createRedisLocks(url, `${ns}:lock:`);
      const h = await startHarness({ fake, root, responses: responsesFor(specs), bridge: { store, locks } });
      cleanups.push(async () => {
        await h.close();
        await store.close();
        await locks.close();
      });
      return h;
    };
    const [one, two] = [await mk(), await mk()];
    const ran = new Map<string, number>();
    for (const h of [one, two])
      h.runtime.events.on('item.applied', (e) => {
        // Every run counts, also one that would change nothing: a second run costs lookups.
        ran.set(e.itemId, (ran.get(e.itemId) ?? 0) + 1);
      });
    await Promise.all([one.bridge.start(), two.bridge.start()]);
    await until(
      () => one.bridge.status().socket === 'connected' && two.bridge.status().socket === 'connected',
    );
    const ids = fake.addItems(specs).map((i) => i.id);
    await until(() => ids.every((id) => publisherOf(fake, id) === 'Canned House'), 10_000);
    await sleep(300);
    await Promise.all([one.bridge.idle(), two.bridge.idle()]);
    expect(fake.patchCount).toBe(12);
    expect([...ran.values()]).toEqual(ids.map(() => 1));
    expect(ran.size).toBe(12);
  });
});
