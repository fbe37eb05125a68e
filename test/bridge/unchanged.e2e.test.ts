/**
 * "Nothing changed since the last run" (src/bridge/unchanged.ts): a backfill over an unchanged
 * item skips aggregate/decide/plan and records nothing; each input that can change the result —
 * a person's edit, a new file, a changed rule, an expired cache entry — sends it through the
 * full pipeline again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeSettings } from '../../src/bridge/state/runtime-settings.js';
import {
  type BridgeItemRecord,
  openStateStore,
  type StateStore,
} from '../../src/bridge/state/state-store.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { cannedBook, type Harness, startHarness } from './harness.js';

const SKIPPED = 'nothing changed since the last run';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.reverse()) await h.close();
  harnesses = [];
});

async function harness(
  opts: { config?: Partial<ConfigInput>; store?: StateStore; from?: Harness; now?: () => number } = {},
) {
  const h = await startHarness({
    responses: { steady: cannedBook('Steady') },
    socket: false,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.from ? { fake: opts.from.fake, root: opts.from.root } : {}),
    bridge: {
      ...(opts.store ? { store: opts.store } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    },
  });
  harnesses.push(h);
  return h;
}

/** One backfill run: its outcome for `id`, how many PATCHes it sent, and the record after it. */
async function runOnce(h: Harness, id: string) {
  const patches = h.fake.patchCount;
  let outcome: { skipped?: string; decision: string } | undefined;
  await h.bridge.backfill(h.fake.libraryId, 'all', (e) => {
    if (e.itemId === id) outcome = e.outcome;
  });
  return {
    outcome,
    patches: h.fake.patchCount - patches,
    record: (await h.bridge.getItem(id)) as BridgeItemRecord | null,
  };
}

async function appliedBook(h: Harness): Promise<string> {
  const id = await h.addBook({ title: 'Steady', author: 'S' });
  const first = await runOnce(h, id);
  expect(first.outcome?.decision).toBe('apply');
  expect(first.patches).toBe(1);
  return id;
}

describe('a run over an item that has not changed since the last one', () => {
  it('is skipped with one read: no provider call, no PATCH, no new record', async () => {
    const h = await harness();
    const id = await appliedBook(h);
    const before = await h.bridge.getItem(id);
    let lookups = 0;
    const off = h.runtime.events.on('provider.fetch.start', () => {
      lookups += 1;
    });
    const second = await runOnce(h, id);
    off();
    expect(second.outcome?.skipped).toBe(SKIPPED);
    expect(second.outcome?.decision).toBe('apply');
    expect(second.patches).toBe(0);
    expect(lookups).toBe(0);
    expect(second.record).toEqual(before);
  });

  it("a person's edit in ABS runs the full pipeline (and keeps the edit)", async () => {
    const h = await harness();
    const id = await appliedBook(h);
    h.fake.userEdit(id, { metadata: { publisher: 'Person Press' } });
    const second = await runOnce(h, id);
    expect(second.outcome?.skipped).toBeUndefined();
    expect(second.record?.history.length).toBe(2);
    expect(
      (h.fake.expandedItem(id) as { media: { metadata: { publisher: string } } }).media.metadata.publisher,
    ).toBe('Person Press');
    // Recorded afresh: the run after that is skipped again.
    expect((await runOnce(h, id)).outcome?.skipped).toBe(SKIPPED);
  });

  it('a cleared provider cache (`cache clear`, `cache invalidate`) runs the full pipeline once', async () => {
    const h = await harness();
    const id = await appliedBook(h);
    await h.runtime.cache.clear();
    let lookups = 0;
    const off = h.runtime.events.on('provider.fetch.start', () => {
      lookups += 1;
    });
    const second = await runOnce(h, id);
    off();
    expect(second.outcome?.skipped).toBeUndefined();
    expect(lookups).toBeGreaterThan(0);
    expect(second.patches).toBe(0);
    // Recorded after the clear: the next run is skipped again.
    expect((await runOnce(h, id)).outcome?.skipped).toBe(SKIPPED);
  });

  it('a new file in the item folder runs the full pipeline', async () => {
    const h = await harness();
    const id = await appliedBook(h);
    await writeFile(path.join(h.root, 'S', 'Steady', 'notes.txt'), 'a new file');
    const second = await runOnce(h, id);
    expect(second.outcome?.skipped).toBeUndefined();
    expect(second.record?.history.length).toBe(2);
  });

  it('a sidecar changed on disk runs the full pipeline', async () => {
    const h = await harness();
    const id = await appliedBook(h);
    const sidecar = Object.keys(
      ((await h.bridge.getItem(id)) as BridgeItemRecord | null)?.sidecars ?? {},
    )[0] as string;
    expect(sidecar).toBeDefined();
    await writeFile(sidecar, '{"title": "edited by hand"}\n');
    expect((await runOnce(h, id)).outcome?.skipped).toBeUndefined();
  });

  it('a changed rule in the config runs the full pipeline; the same config does not', async () => {
    const first = await harness({ config: { cache: { url: 'memory://' } } });
    const store = openStateStore('memory://');
    const a = await harness({ from: first, store });
    const id = await a.addBook({ title: 'Steady', author: 'S' });
    expect((await runOnce(a, id)).outcome?.decision).toBe('apply');
    // Same store, same config, another runtime: still unchanged.
    const same = await harness({ from: first, store });
    expect((await runOnce(same, id)).outcome?.skipped).toBe(SKIPPED);
    // A genre rule that would change what is written.
    const ruled = await harness({
      from: first,
      store,
      config: { genres: { enabled: true, map: { Literature: ['Fiction'] } } },
    });
    const after = await runOnce(ruled, id);
    expect(after.outcome?.skipped).toBeUndefined();
    expect(after.record?.history.length).toBe(2);
  });

  it('a genre rule turned on from the page (settings.json) runs the full pipeline', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unchanged-settings-'));
    const settings = new RuntimeSettings(path.join(dir, 'settings.json'));
    const h = await startHarness({
      responses: { steady: cannedBook('Steady') },
      socket: false,
      bridge: { settings },
    });
    harnesses.push(h);
    const id = await h.addBook({ title: 'Steady', author: 'S' });
    expect((await runOnce(h, id)).outcome?.decision).toBe('apply');
    expect((await runOnce(h, id)).outcome?.skipped).toBe(SKIPPED);
    await settings.saveGenres({ enabled: true, map: { Literature: ['Fiction'] } });
    const after = await runOnce(h, id);
    expect(after.outcome?.skipped).toBeUndefined();
    expect(after.record?.history.length).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });

  it('an expired cache entry runs the full pipeline', async () => {
    let now = Date.now();
    const h = await harness({ now: () => now });
    const id = await appliedBook(h);
    expect((await runOnce(h, id)).outcome?.skipped).toBe(SKIPPED);
    const until = ((await h.bridge.getItem(id)) as BridgeItemRecord | null)?.unchanged?.until as number;
    expect(until).toBeGreaterThan(now);
    now = until + 1;
    const after = await runOnce(h, id);
    expect(after.outcome?.skipped).toBeUndefined();
    expect(after.record?.history.length).toBe(2);
  });

  it("a person's re-match, a hint, a refresh or a dry run always runs", async () => {
    const h = await harness();
    const id = await appliedBook(h);
    expect((await runOnce(h, id)).outcome?.skipped).toBe(SKIPPED);
    // A plain re-match asked for by a person (CLI, page): a real run, not the last run's memory.
    expect((await h.bridge.rematch(id)).skipped).toBeUndefined();
    expect((await h.bridge.rematch(id, { refresh: true })).skipped).toBeUndefined();
    expect((await h.bridge.rematch(id, { dryRun: true })).skipped).toBeUndefined();
    expect((await h.bridge.rematch(id, { hint: { title: 'Steady' } })).skipped).toBeUndefined();
  });
});
