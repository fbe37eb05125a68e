import { afterEach, describe, expect, it } from 'vitest';
import { cannedBook, type Harness, sleep, startHarness, until } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Meta = { media: { metadata: Record<string, unknown>; tags: string[] } };
const absItem = (id: string) => h!.fake.expandedItem(id) as Meta;

describe('manual re-match, trigger tag, dry run, undo, review', () => {
  it('re-matches when the trigger tag is added in ABS and removes the tag in one PATCH, without looping', async () => {
    h = await startHarness({
      responses: { tagged: cannedBook('Tagged') },
      config: { bridge: { defaultPolicy: 'overwrite' } },
    });
    await h.bridge.start();
    const id = h.fake.addItem({ title: 'Tagged', author: 'T', tags: ['keep-me'] }).id;
    await until(async () => (await h!.bridge.getItem(id))?.decision === 'apply');
    expect(h.fake.patchCount).toBe(1);
    // A person adds the trigger tag (and nothing else).
    h.fake.userEdit(id, { tags: ['keep-me', 'bridge:rematch'] });
    await until(async () => !absItem(id).media.tags.includes('bridge:rematch'));
    await sleep(400);
    await h.bridge.idle();
    expect(absItem(id).media.tags).toEqual(['keep-me']);
    expect(h.fake.patchCount).toBe(2);
    expect((await h.bridge.getItem(id))?.history.map((e) => e.action)).toEqual(['applied', 'applied']);
  });

  it('dry run reports old → new with provider and confidence, and changes nothing', async () => {
    h = await startHarness({ responses: { quiet: cannedBook('Quiet') }, socket: false });
    const id = h.fake.addItem({ title: 'Quiet', author: 'Q' }).id;
    const before = JSON.stringify(absItem(id));
    const outcome = await h.bridge.rematch(id, { dryRun: true });
    expect(outcome.dryRun).toBe(true);
    expect(outcome.applied).toBe(false);
    expect(outcome.changes).toContainEqual({
      field: 'publisher',
      old: null,
      new: 'Canned House',
      provider: 'canned',
      confidence: expect.any(Number),
    });
    expect(h.fake.patchCount).toBe(0);
    expect(JSON.stringify(absItem(id))).toBe(before);
    expect(await h.bridge.getItem(id)).toBeNull();
  });

  it('undo restores the overwritten values but keeps a field a person changed since', async () => {
    h = await startHarness({
      responses: { undoable: cannedBook('Undoable', { subtitle: 'New Sub' }) },
      config: { bridge: { defaultPolicy: 'overwrite' } },
      socket: false,
    });
    const id = h.fake.addItem({ title: 'Undoable', author: 'Original Author', subtitle: 'Old Sub' }).id;
    await h.bridge.rematch(id);
    expect(absItem(id).media.metadata.subtitle).toBe('New Sub');
    expect(absItem(id).media.metadata.authors).toMatchObject([{ name: 'Canned Author' }]);
    h.fake.userEdit(id, { metadata: { publisher: 'Person Press' } });
    const undone = await h.bridge.undo(id);
    expect(undone.restoredFields).toEqual(expect.arrayContaining(['subtitle', 'authors']));
    expect(undone.restoredFields).not.toContain('publisher');
    const m = absItem(id).media.metadata;
    expect(m.subtitle).toBe('Old Sub');
    expect(m.authors).toMatchObject([{ name: 'Original Author' }]);
    expect(m.publisher).toBe('Person Press');
    expect((await h.bridge.getItem(id))?.history.at(-1)?.action).toBe('undone');
  });

  it('review: approve applies the stored match (or a chosen candidate), reject records it', async () => {
    h = await startHarness({
      responses: { maybe: { ...cannedBook('Maybe'), matchConfidence: 0.75 } },
      socket: false,
    });
    const a = h.fake.addItem({ title: 'Maybe', author: 'M' }).id;
    const b = h.fake.addItem({ title: 'Maybe', author: 'M2', relPath: 'M2/Maybe' }).id;
    expect((await h.bridge.rematch(a)).decision).toBe('review');
    expect((await h.bridge.rematch(b)).decision).toBe('review');
    expect((await h.bridge.listReview()).map((r) => r.itemId).sort()).toEqual([a, b].sort());
    expect(h.fake.patchCount).toBe(0);
    await expect(h.bridge.approve(a, 7)).rejects.toThrow(/candidate 7 does not exist/);
    const approved = await h.bridge.approve(a);
    expect(approved.applied).toBe(true);
    expect(absItem(a).media.metadata.publisher).toBe('Canned House');
    await h.bridge.reject(b);
    expect((await h.bridge.listReview()).map((r) => r.itemId)).toEqual([]);
    expect((await h.bridge.getItem(b))?.history.at(-1)?.action).toBe('rejected');
    await expect(h.bridge.reject('no-such-item')).rejects.toThrow(/not known/);
  });
});

describe("a person's choice", () => {
  it('an ASIN a person gives replaces the wrong title and author, where fill-empty would keep them', async () => {
    h = await startHarness({
      socket: false,
      responses: {
        B0CHOSEN01: cannedBook('The Right Book', { authors: [{ name: 'Right Author' }], asin: 'B0CHOSEN01' }),
      },
    });
    const id = await h.addBook({ title: 'Track 01', author: 'Unknown' });
    const outcome = await h.bridge.rematch(id, { hint: { asin: 'B0CHOSEN01' } });
    expect(outcome.decision).toBe('apply');
    const meta = absItem(id).media.metadata;
    expect(meta.title).toBe('The Right Book');
    expect((meta.authors as { name: string }[]).map((a) => a.name)).toEqual(['Right Author']);
    // The history keeps the per-field diff.
    const last = (await h.bridge.getItem(id))?.history.at(-1);
    expect(last?.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'title', old: 'Track 01', new: 'The Right Book' }),
      ]),
    );
  });
});
