import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogueBook,
  type CatalogueServer,
  startCatalogueServer,
} from '../../mocks/providers/catalogue-server.js';
import { chaptersPending, nextRecheck } from '../../src/bridge/triggers/rechecks.js';
import { type Harness, startHarness } from './harness.js';

const HOUR = 3_600_000;

describe('re-checks of books the bridge did not apply', () => {
  let h: Harness | undefined;
  let catalogue: CatalogueServer | undefined;
  afterEach(async () => {
    await h?.close();
    await catalogue?.close();
    h = undefined;
  });
  /**
   * A bridge whose network providers are an ABS custom provider knowing `books` (none yet) and,
   * with `audnexus`, Audnexus by ASIN (book details and chapters) from the same catalogue.
   */
  const start = async (clock: () => number, books: CatalogueBook[] = [], audnexus = false) => {
    catalogue = await startCatalogueServer(books);
    return startHarness({
      socket: false,
      bridge: { now: clock },
      config: { bridge: { waitRetrySeconds: 120 } },
      providers: {
        custom: [{ name: 'releases', url: catalogue.urls.custom }],
        ...(audnexus ? { audnexus: { enabled: true, baseUrl: catalogue.urls.audnexus } } : {}),
      },
    });
  };

  it('the schedule backs off 1 day, 3 days, 1 week, then monthly; [] turns it off', () => {
    const steps = [24, 72, 168, 720];
    let r = nextRecheck(undefined, 'no-candidate', 0, steps);
    const at: number[] = [];
    for (let i = 0; i < 6; i++) {
      at.push((r?.nextAt ?? 0) / HOUR);
      r = nextRecheck(r, 'no-candidate', r?.nextAt ?? 0, steps);
    }
    expect(at).toEqual([24, 96, 264, 984, 1704, 2424]);
    expect(nextRecheck(undefined, 'below-bar', 0, [])).toBeUndefined();
  });

  it('a new release the providers did not know is applied at its re-check, without a person', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    h = await start(() => clock);
    const id = await h.addBook({ title: 'Tomorrow Book', author: 'Someone', duration: 3600 });
    const first = await h.bridge.rematch(id);
    expect(first.decision).not.toBe('apply');
    const record = await h.bridge.getItem(id);
    // Only the folder name knows it: below the bar, looked at again in a day.
    expect((record as { recheck?: unknown }).recheck).toEqual({
      kind: 'below-bar',
      attempts: 0,
      nextAt: clock + 24 * HOUR,
    });

    // Not due yet: nothing queued.
    clock += 23 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(0);

    // The providers learn the book; a day later the re-check applies it.
    catalogue?.add({
      asin: 'B0TOMORROW',
      title: 'Tomorrow Book',
      authors: ['Someone'],
      narrators: ['A Reader'],
      minutes: 60,
      released: '2026-12-01',
      publisher: 'Release House',
      description: 'Out today.',
      genres: ['Fiction'],
    });
    clock += 2 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(1);
    await h.bridge.idle();
    const after = await h.bridge.getItem(id);
    expect(after?.decision).toBe('apply');
    expect((after as { recheck?: unknown }).recheck).toBeUndefined();
    expect(h.fake.expandedItem(id)).toMatchObject({ media: { metadata: { publisher: 'Release House' } } });
  });

  it('still unknown at its re-check: the next one is further away; a person’s reject ends them', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    h = await start(() => clock);
    const id = await h.addBook({ title: 'Never Known', author: 'Nobody' });
    await h.bridge.rematch(id);
    clock += 25 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(1);
    await h.bridge.idle();
    const again = (await h.bridge.getItem(id)) as { recheck?: { attempts: number; nextAt: number } };
    expect(again.recheck?.attempts).toBe(1);
    expect(again.recheck?.nextAt).toBe(clock + 72 * HOUR);
    await h.bridge.reject(id);
    clock += 1000 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(0);
  });

  it('a book left waiting is applied on its scheduled re-check once the provider is back', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    h = await start(
      () => clock,
      [
        {
          asin: 'B0OUTAGE01',
          title: 'Outage Book',
          authors: ['Someone'],
          narrators: ['A Reader'],
          minutes: 60,
          released: '2020-01-01',
          publisher: 'Back House',
          description: 'Back again.',
          genres: ['Fiction'],
        },
      ],
    );
    catalogue?.setFault('custom', 'error');
    const id = await h.addBook({ title: 'Outage Book', author: 'Someone', duration: 3600 });
    expect((await h.bridge.rematch(id)).decision).toBe('wait');
    const waiting = (await h.bridge.getItem(id)) as { recheck?: unknown };
    expect(waiting.recheck).toEqual({ kind: 'provider-down', attempts: 0, nextAt: clock + 120_000 });

    clock += 60_000;
    expect(await h.bridge.recheckDue()).toBe(0);
    catalogue?.setFault('custom', 'none');
    clock += 61_000;
    expect(await h.bridge.recheckDue()).toBe(1);
    await h.bridge.idle();
    const after = await h.bridge.getItem(id);
    expect(after?.decision).toBe('apply');
    expect(h.fake.expandedItem(id)).toMatchObject({ media: { metadata: { publisher: 'Back House' } } });
  });

  it('chapters not yet published: applied, re-checked on the schedule, written once Audnexus has them', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const release: CatalogueBook = {
      asin: 'B0NEWCHAPS',
      title: 'Fresh Release',
      authors: ['Someone'],
      narrators: ['A Reader'],
      minutes: 60,
      released: '2026-11-28',
      publisher: 'Release House',
      description: 'Out this week.',
      genres: ['Fiction'],
    };
    const harness = await start(() => clock, [release], true);
    h = harness;
    const id = await harness.addBook({ title: 'Fresh Release', author: 'Someone', duration: 3600 });
    const first = await h.bridge.rematch(id);
    expect(first.decision).toBe('apply');
    expect(first.chaptersWritten).toBe(false);
    const chaptersInAbs = () =>
      ((harness.fake.expandedItem(id) as { media: { chapters?: unknown[] } }).media.chapters ?? []).length;
    expect(chaptersInAbs()).toBe(0);
    const recheckOf = async () => ((await harness.bridge.getItem(id)) as { recheck?: unknown }).recheck;
    expect(await recheckOf()).toEqual({ kind: 'chapters-pending', attempts: 0, nextAt: clock + 24 * HOUR });

    // A day later Audnexus still has none: the next re-check backs off to 3 days.
    clock += 25 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(1);
    await h.bridge.idle();
    expect(await recheckOf()).toEqual({ kind: 'chapters-pending', attempts: 1, nextAt: clock + 72 * HOUR });
    expect(chaptersInAbs()).toBe(0);

    catalogue?.publishChapters('B0NEWCHAPS', 6);
    clock += 24 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(0);
    clock += 49 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(1);
    await h.bridge.idle();
    expect(chaptersInAbs()).toBe(6);
    expect(await recheckOf()).toBeUndefined();
    expect((await h.bridge.getItem(id))?.decision).toBe('apply');
    clock += 1000 * HOUR;
    expect(await h.bridge.recheckDue()).toBe(0);
  });

  it('no chapters-pending re-check for an old release, a book with its own chapters, or chapters the policy keeps', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const result = (publishedDate: string) =>
      ({
        metadata: { publishedDate, customFields: {} },
        providers: [{ provider: 'audnexus', status: 'found', unpublished: ['chapters'] }],
      }) as unknown as Parameters<typeof chaptersPending>[0];
    const o = { now, hasOwnChapters: false, chaptersWritten: false, mayWriteChapters: true };
    expect(chaptersPending(result('2026-11-20'), o)).toBe(true);
    expect(chaptersPending(result('2027-02-01'), o)).toBe(true); // a pre-order
    expect(chaptersPending(result('2019-05-01'), o)).toBe(false);
    expect(chaptersPending(result('2026-11-20'), { ...o, hasOwnChapters: true })).toBe(false);
    expect(chaptersPending(result('2026-11-20'), { ...o, mayWriteChapters: false })).toBe(false);
    expect(chaptersPending(result('2026-11-20'), { ...o, chaptersWritten: true })).toBe(false);
  });
});
