import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../../src/bridge/state/state-store.js';
import { redisUrlOrWarn } from '../setup/redis-env.js';

describe('state store: backfill marks read in bulk', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function check(store: StateStore): Promise<void> {
    cleanups.push(() => store.close());
    const ids = Array.from({ length: 1203 }, (_, i) => `li_${i}`);
    const marked = ids.filter((_, i) => i % 7 === 0 || i === 1202);
    for (const id of marked) await store.markBackfilled('lib:all:run1', id);
    await store.markBackfilled('lib:all:run2', 'li_1'); // another run's mark does not count
    const done = await store.backfilledAmong('lib:all:run1', ids);
    expect([...done].sort()).toEqual([...marked].sort());
    expect(await store.backfilledAmong('lib:all:run1', [])).toEqual(new Set());
  }

  it('on SQLite', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'state-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await check(openStateStore(`sqlite://${path.join(dir, 'state.sqlite')}`));
  });

  it('on Redis', async () => {
    const url = redisUrlOrWarn();
    if (!url) return;
    await check(openStateStore(url, `state-test-${randomUUID()}`));
  });

  it('in memory', async () => {
    await check(openStateStore('memory://', `state-test-${randomUUID()}`));
  });
});
