import { afterEach, describe, expect, it } from 'vitest';
import { cannedBook, type Harness, startHarness, until } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('backfill: stop and resume', () => {
  it('a stopped backfill starts no more items, reports stopped, and the next call resumes', async () => {
    const specs = Array.from({ length: 20 }, (_, i) => ({ title: `Stop ${i}`, author: 'Stop Author' }));
    const responses = Object.fromEntries(specs.map((s) => [s.title.toLowerCase(), cannedBook(s.title)]));
    h = await startHarness({ responses, socket: false, config: { bridge: { concurrency: 2 } } });
    const fake = h.fake;
    fake.addItems(specs);
    const controller = new AbortController();
    let seen = 0;
    const first = await h.bridge.backfill(
      fake.libraryId,
      'all',
      () => {
        seen += 1;
        if (seen === 3) controller.abort();
      },
      { signal: controller.signal },
    );
    expect(first.stopped).toBe(true);
    expect(first.total).toBe(20);
    expect(first.processed).toBeGreaterThanOrEqual(3);
    expect(first.processed).toBeLessThan(20);

    const second = await h.bridge.backfill(fake.libraryId, 'all');
    expect(second.stopped).toBeUndefined();
    expect(second.resumed).toBe(first.processed);
    expect(second.resumed + second.processed).toBe(20);
    // finished: the next run starts afresh
    const third = await h.bridge.backfill(fake.libraryId, 'all');
    expect(third.resumed).toBe(0);
  });

  it('the service runs one backfill at a time, tells its progress and stops it', async () => {
    const specs = Array.from({ length: 20 }, (_, i) => ({ title: `Svc ${i}`, author: 'Svc Author' }));
    const responses = Object.fromEntries(specs.map((s) => [s.title.toLowerCase(), cannedBook(s.title)]));
    h = await startHarness({ responses, socket: false, config: { bridge: { concurrency: 2 } } });
    const bridge = h.bridge;
    h.fake.addItems(specs);
    expect((await bridge.listLibraries()).map((l) => l.id)).toContain(h.fake.libraryId);
    await expect(bridge.startBackfill({ libraryId: 'lib_nope', mode: 'all' })).rejects.toThrow(
      /no book library/,
    );
    const told: number[] = [];
    const off = bridge.onBackfill((s) => told.push(s.done));
    await bridge.startBackfill({ libraryId: h.fake.libraryId, mode: 'all' });
    await expect(bridge.startBackfill({ libraryId: h.fake.libraryId, mode: 'all' })).rejects.toThrow(
      /already running/,
    );
    await until(() => (bridge.backfillStatus()?.done ?? 0) >= 2, 15_000);
    bridge.stopBackfill();
    await until(() => bridge.backfillStatus()?.running === false, 15_000);
    const status = bridge.backfillStatus();
    expect(status?.stopped).toBe(true);
    expect(status?.done).toBeLessThan(20);
    expect(told.length).toBeGreaterThan(1);
    off();
  });
});
