/**
 * Against the real ABS 2.36: trouble on either side. A provider the decision depends on is down
 * (books wait, nothing is applied on lesser evidence, they are applied once it is back), and ABS
 * itself is killed in the middle of a backfill (the run waits for it and every book is applied).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  absAlive,
  absFatalLines,
  ensureRealAbs,
  killRealAbs,
  REAL_ABS_PORT,
  type RealAbs,
  realAbsAvailable,
  separateInstance,
  sleep,
  waitFor,
} from './harness/server.js';
import { createWorld, jsonLines, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: a provider the decision depends on is down', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'provider-down',
      books: 10,
      seed: 29,
      config: { bridge: { waitRetrySeconds: 2 } },
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('leaves every book waiting (no write to ABS) while Audible fails, and lists them', async () => {
    world.catalogue.setFault('audible', 'error');
    world.proxy.reset();
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--json');
    const summary = jsonLines(res.out).find((l) => 'summary' in l)?.summary as Record<string, unknown>;
    expect(summary?.decisions, res.err).toEqual({ wait: world.books.length });
    expect(world.proxy.writes()).toEqual([]);
    for (const item of await world.api.items(world.libraryId))
      expect((await world.api.item(item.id)).media.metadata.asin).toBeNull();
    const waiting = jsonLines((await world.cli('waiting', '--json')).out);
    expect(waiting).toHaveLength(world.books.length);
    expect(String(waiting[0]?.reason)).toMatch(/waiting for audible/);
  });

  it('applies them once Audible answers again, on its own, with Audible in the evidence', async () => {
    world.catalogue.setFault('audible', 'none');
    const service = await world.startService();
    try {
      await waitFor(
        'every waiting book applied',
        async () => ((await service.bridge.listWaiting()).length === 0 ? true : undefined),
        60_000,
      );
      await service.bridge.idle();
      for (const book of world.books) {
        const listed = (await world.api.items(world.libraryId)).find((i) => i.path.endsWith(book.title));
        const record = await service.bridge.getItem(listed?.id as string);
        expect(record?.decision).toBe('apply');
        expect(record?.result?.providers.find((p) => p.provider === 'audible')?.status).toBe('found');
        expect((await world.api.item(listed?.id as string)).media.metadata.asin).toBe(book.asin);
      }
    } finally {
      await service.stop();
    }
  });
});

/** Scenarios in which ABS dies (the bug, or a kill) get a server of their own; others keep theirs. */
const instance = separateInstance('kill', REAL_ABS_PORT + 1);

/** Brings the killable server back if a scenario left it dead, and removes the scenario's library. */
async function reviveAndClose(abs: RealAbs | undefined, world: World | undefined): Promise<void> {
  if (abs && !(await absAlive(abs.url))) await ensureRealAbs(instance);
  await world?.close();
}

suite('real ABS: books of one new series applied side by side', () => {
  let abs: RealAbs;
  let world: World;

  beforeAll(async () => {
    abs = await ensureRealAbs(instance);
    world = await createWorld(abs, {
      name: 'shared-series',
      books: 16,
      seed: 37,
      config: { bridge: { concurrency: 8 } },
      customize: (books) =>
        books.map((b, i) => ({
          ...b,
          authors: [i % 2 === 0 ? 'Shared Author' : (b.authors[0] as string)],
          series: { title: 'The Shared Saga', sequence: String(i + 1) },
        })),
    });
  });
  afterAll(() => reviveAndClose(abs, world));

  it('never sends two PATCHes that would create the same series or author at once (ABS would exit)', async () => {
    const running = world.cli('match', '--library', world.libraryId, '--all', '--json');
    let finished = false;
    void running.finally(() => {
      finished = true;
    });
    // Should ABS die, say so at once (the backfill itself would wait for it to come back).
    while (!finished) {
      const alive = await absAlive(abs.url);
      expect(alive, `ABS died during the backfill:\n${absFatalLines(abs.log).join('\n')}`).toBe(true);
      await sleep(500);
    }
    const res = await running;
    expect(res.code, res.err.slice(-2000)).toBe(0);
    const series = await world.api.call<{ results: { name: string }[] }>(
      'GET',
      `/api/libraries/${world.libraryId}/series?limit=50`,
    );
    expect(series.results.map((s) => s.name)).toEqual(['The Shared Saga']);
  });
});

suite('real ABS: ABS killed in the middle of a backfill', () => {
  let abs: RealAbs;
  let world: World;

  beforeAll(async () => {
    abs = await ensureRealAbs(instance);
    world = await createWorld(abs, {
      name: 'abs-killed',
      books: 40,
      seed: 31,
      latencyMs: 150,
      // A known number in flight: at most this many PATCHes can have been cut off by the kill.
      config: { bridge: { concurrency: 4 } },
    });
  });
  afterAll(() => reviveAndClose(abs, world));

  it('waits for ABS ("waiting for ABS"), goes on when it is back, and applies every book', async () => {
    world.proxy.reset();
    const patches = () => world.proxy.mediaWrites();
    const running = world.cli('match', '--library', world.libraryId, '--all', '--json');
    await waitFor('a third of the books applied', async () =>
      patches().length >= world.books.length / 3 ? true : undefined,
    );
    await killRealAbs(abs);
    // Longer than the ~30 s of per-item retries the backfill had before it learnt to wait for ABS.
    await sleep(40_000);
    await ensureRealAbs(instance);
    const res = await running;
    expect(res.err).toMatch(/waiting for ABS/);
    expect(res.code, res.err.slice(-3000)).toBe(0);
    const summary = jsonLines(res.out).find((l) => 'summary' in l)?.summary as Record<string, unknown>;
    expect(summary.failed).toBe(0);
    expect(summary.decisions).toEqual({ apply: world.books.length });
    for (const book of world.books) {
      const listed = (await world.api.items(world.libraryId)).find((i) => i.path.endsWith(book.title));
      expect((await world.api.item(listed?.id as string)).media.metadata.asin, book.title).toBe(book.asin);
    }
    // Once each, counted as ABS answered them; a PATCH whose answer the kill cut off may be sent
    // again (bridge.concurrency at most).
    const perItem = new Map<string, number>();
    for (const p of patches()) perItem.set(p, (perItem.get(p) ?? 0) + 1);
    expect(perItem.size).toBe(world.books.length);
    expect([...perItem.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(4);
  }, 180_000);
});
