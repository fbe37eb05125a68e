import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';
import { snapshotKey } from '../../src/abs/stored-form.js';
import { chaptersFit, chaptersReplaceable } from '../../src/bridge/pipeline/item-context.js';
import type { BridgeItemRecord } from '../../src/bridge/state/state-store.js';
import { classifyUpdate } from '../../src/bridge/triggers/echo.js';
import { JobQueue, type JobRequest } from '../../src/bridge/triggers/job-queue.js';

const phm = AbsLibraryItemSchema.parse(
  JSON.parse(
    readFileSync(new URL('../fixtures/bridge/20b_item_get_expanded_phm.json', import.meta.url), 'utf8'),
  ),
);
const record = (over: Partial<BridgeItemRecord> = {}): BridgeItemRecord => ({
  itemId: phm.id,
  updatedAt: '',
  history: [],
  seen: snapshotKey(phm.media),
  ...over,
});

describe('classifyUpdate', () => {
  const clone = () => structuredClone(phm);
  it.each([
    ['its own PATCH coming back', () => clone(), record(), 'echo'],
    ['a file-only change (new file, same metadata)', () => ({ ...clone(), numFiles: 9 }), record(), 'echo'],
    ['the folder vanished', () => ({ ...clone(), isMissing: true }), record(), 'missing'],
    ['a never-processed item', () => clone(), null, 'new'],
    [
      'a person’s edit',
      () => {
        const i = clone();
        i.media.metadata.publisher = 'Other';
        return i;
      },
      record(),
      'edited',
    ],
    [
      'the trigger tag',
      () => {
        const i = clone();
        i.media.tags = ['bridge:rematch'];
        return i;
      },
      record(),
      'trigger',
    ],
  ] as const)('%s', (_name, make, rec, kind) => {
    expect(classifyUpdate(make() as typeof phm, rec, 'bridge:rematch')).toBe(kind);
  });

  it('recognises an echo from the in-memory push before the record is saved', () => {
    expect(classifyUpdate(phm, record({ seen: 'older' }), 'bridge:rematch', snapshotKey(phm.media))).toBe(
      'echo',
    );
  });
});

describe('JobQueue', () => {
  const gate = () => {
    let open!: () => void;
    const p = new Promise<void>((r) => {
      open = r;
    });
    return { p, open };
  };

  it('runs one job per item, merging requests for a queued item', async () => {
    const ran: JobRequest[] = [];
    const g = gate();
    const q = new JobQueue<JobRequest, string>(1, async (job) => {
      await g.p;
      ran.push(job);
      return job.itemId;
    });
    q.push({ itemId: 'blocker', reason: 'x' });
    const a = q.push({ itemId: 'a', reason: 'item_added' });
    const b = q.push({ itemId: 'a', reason: 'trigger-tag', force: true });
    expect([a.fresh, b.fresh]).toEqual([true, false]);
    g.open();
    await q.idle();
    expect(ran.map((j) => j.itemId)).toEqual(['blocker', 'a']);
    expect(ran[1]).toMatchObject({ reason: 'item_added+trigger-tag', force: true });
    expect(await b.promise).toBe('a');
  });

  it('runs a forced request for a running item once afterwards; others share the running outcome', async () => {
    let calls = 0;
    const g = gate();
    const q = new JobQueue<JobRequest, number>(2, async () => {
      calls += 1;
      if (calls === 1) await g.p;
      return calls;
    });
    const first = q.push({ itemId: 'a', reason: 'item_added' });
    await new Promise((r) => setTimeout(r, 10));
    const echo = q.push({ itemId: 'a', reason: 'item_updated' });
    const forced = q.push({ itemId: 'a', reason: 'manual', force: true });
    g.open();
    expect(await echo.promise).toBe(1);
    expect(await first.promise).toBe(1);
    expect(await forced.promise).toBe(2);
    expect(calls).toBe(2);
  });

  it('fails the callers of dropped jobs when cleared', async () => {
    const g = gate();
    const q = new JobQueue<JobRequest, void>(1, () => g.p);
    q.push({ itemId: 'a', reason: 'x' });
    const queued = q.push({ itemId: 'b', reason: 'x' });
    q.clear();
    g.open();
    await expect(queued.promise).rejects.toThrow('bridge stopped');
  });
});

describe('chapters', () => {
  const two = [
    { start: 0, end: 1800, title: 'One' },
    { start: 1800, end: 3600, title: 'Two' },
  ];
  it.each([
    [two, 3600, true],
    [two, 3603, true],
    [two, 4000, false],
    [[{ start: 0, end: 3600, title: 'Only' }], 3600, false],
    [[two[1]!, two[0]!], 3600, false],
  ])('%j fit %d s: %s', (chapters, duration, fits) => {
    expect(chaptersFit(chapters, duration)).toBe(fits);
  });

  it('replaces no chapters or one-per-file chapters, never real ones', () => {
    const item = structuredClone(phm);
    expect(chaptersReplaceable(item)).toBe(false); // the m4b's own chapters
    item.media.chapters = [];
    expect(chaptersReplaceable(item)).toBe(true);
    const file = item.media.audioFiles![0]!;
    item.media.audioFiles = [
      { ...file, duration: 100 },
      { ...file, duration: 50 },
    ];
    item.media.chapters = [
      { id: 0, start: 0, end: 100, title: 'file 1' },
      { id: 1, start: 100, end: 150, title: 'file 2' },
    ];
    expect(chaptersReplaceable(item)).toBe(true);
  });
});
