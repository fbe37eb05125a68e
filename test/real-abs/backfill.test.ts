/**
 * Against the real ABS 2.36: a backfill of a generated library, dry runs that write nothing, and a
 * second run that changes nothing (no PATCH on the wire, no file rewritten).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles, snapshotFiles } from './harness/files.js';
import { bookFolder } from './harness/library.js';
import { absFatalLines, ensureRealAbs, type RealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, jsonLines, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: library backfill', () => {
  let abs: RealAbs;
  let world: World;

  beforeAll(async () => {
    abs = await ensureRealAbs();
    world = await createWorld(abs, { name: 'backfill', books: 24, seed: 11 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a library dry run writes nothing: no PATCH, no sidecar, no history, and says "dry run"', async () => {
    const files = await snapshotFiles(world.root);
    world.proxy.reset();
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--dry-run', '--json');
    expect(res.code, res.err).toBe(0);
    const lines = jsonLines(res.out);
    const summary = lines.find((l) => 'summary' in l)?.summary as Record<string, unknown>;
    expect(summary, res.out).toBeDefined();
    expect(summary.dryRun).toBe(true);
    expect(summary.processed).toBe(world.books.length);
    expect(world.proxy.writes(), `writes during a dry run:\n${world.proxy.writes().join('\n')}`).toEqual([]);
    expect(changedFiles(files, await snapshotFiles(world.root))).toEqual([]);
    const history = await world.cli('review', 'list', '--json');
    expect(jsonLines(history.out)).toEqual([]);
    // The item is still unknown to the bridge: no record, so a real run treats it as new.
    const first = (await world.api.items(world.libraryId))[0];
    const shown = await world.cli('match', first?.id as string, '--dry-run', '--json');
    expect(jsonLines(shown.out)[0]?.dryRun).toBe(true);
    expect(world.proxy.writes()).toEqual([]);
  });

  it('a backfill applies every book with what the providers know, as ABS stores it', async () => {
    world.proxy.reset();
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--json');
    expect(res.code, `${res.err}\n${absFatalLines(abs.log).join('\n')}`).toBe(0);
    const summary = jsonLines(res.out).find((l) => 'summary' in l)?.summary as Record<string, unknown>;
    expect(summary.decisions).toEqual({ apply: world.books.length });
    for (const book of world.books) {
      const listed = (await world.api.items(world.libraryId)).find((i) =>
        i.path.endsWith(path.join(book.authors[0] as string, book.title)),
      );
      const item = await world.api.item(listed?.id as string);
      expect(item.media.metadata.asin, book.title).toBe(book.asin);
      expect(item.media.metadata.publisher).toBe(book.publisher);
      expect(item.media.metadata.narrators).toEqual(book.narrators);
      const sidecars = await readdir(bookFolder(world.root, book));
      expect(sidecars).toEqual(expect.arrayContaining(['metadata.json', 'metadata.opf']));
    }
  });

  it('a second run over the unchanged library sends no PATCH and rewrites no file', async () => {
    const files = await snapshotFiles(world.root);
    const before = await world.api.items(world.libraryId);
    world.proxy.reset();
    const res = await world.cli('match', '--library', world.libraryId, '--all', '--json');
    expect(res.code, res.err).toBe(0);
    // Every book is as the first run left it: skipped before any lookup (src/bridge/unchanged.ts).
    const summary = jsonLines(res.out).find((l) => 'summary' in l)?.summary as Record<string, unknown>;
    expect(summary.decisions).toEqual({ skipped: world.books.length });
    const changed = jsonLines(res.out).filter((l) => Array.isArray(l.changed) && l.changed.length > 0);
    expect(changed, 'items the second run changed').toEqual([]);
    expect(world.proxy.writes(), 'writes sent to ABS by the second run').toEqual([]);
    expect(changedFiles(files, await snapshotFiles(world.root))).toEqual([]);
    const after = await world.api.items(world.libraryId);
    expect(after.map((i) => [i.id, i.updatedAt])).toEqual(before.map((i) => [i.id, i.updatedAt]));
  });
});
