import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';
import { createDefaultExporters } from '../../src/exporters/index.js';
import { type SidecarFingerprints, writeSidecars } from '../../src/exporters/sidecars.js';

const metadata = (title: string): CanonicalMetadata =>
  ({
    title,
    authors: [{ name: 'Ann Leckie' }],
    narrators: [],
    genres: [],
    tags: [],
    customFields: {},
  }) as never;

describe('sidecars: unchanged files are left alone, with or without reading them', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  async function run(folder: string, title: string, known?: SidecarFingerprints) {
    return writeSidecars({
      registry: createDefaultExporters(),
      names: ['metadata.json', 'opf'],
      metadata: metadata(title),
      folder,
      ctx: { itemId: 'li_1' },
      ...(known ? { known } : {}),
    });
  }

  it('writes once, then skips by fingerprint; a changed book or an edited file is written again', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'sidecars-'));
    dirs.push(folder);
    const first = await run(folder, 'Ancillary Justice');
    expect(first.written).toHaveLength(2);
    const json = path.join(folder, 'metadata.json');
    expect(first.fingerprints[json]?.size).toBe((await stat(json)).size);

    const second = await run(folder, 'Ancillary Justice', first.fingerprints);
    expect(second.written).toEqual([]);
    expect(second.fingerprints).toEqual(first.fingerprints);

    // Someone edits the file (new mtime): the fingerprint no longer vouches for it, the bytes decide.
    await writeFile(json, '{"edited": true}');
    const third = await run(folder, 'Ancillary Justice', second.fingerprints);
    expect(third.written).toEqual([json]);
    expect(await readFile(json, 'utf8')).toContain('Ancillary Justice');

    // Another book: new content, written whatever the fingerprint says.
    const fourth = await run(folder, 'Ancillary Sword', third.fingerprints);
    expect(fourth.written).toHaveLength(2);
  });

  it('without fingerprints (first run of an item) identical files are compared and not rewritten', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'sidecars-'));
    dirs.push(folder);
    await run(folder, 'Provenance');
    const json = path.join(folder, 'metadata.json');
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(json, old, old);
    const again = await run(folder, 'Provenance');
    expect(again.written).toEqual([]);
    expect((await stat(json)).mtime.toISOString()).toBe(old.toISOString());
    expect(again.fingerprints[json]?.mtimeMs).toBe(old.getTime());
  });

  it('rewrites a changed sidecar keeping its mode, fingerprinted as a later stat sees it', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'sidecars-'));
    dirs.push(folder);
    const json = path.join(folder, 'metadata.json');
    await writeFile(json, '{"old": true}');
    await chmod(json, 0o640);
    const out = await run(folder, 'The Raven Tower');
    expect(out.written).toContain(json);
    const onDisk = await stat(json);
    expect(onDisk.mode & 0o777).toBe(0o640);
    for (const file of out.written) {
      const s = await stat(file);
      expect(out.fingerprints[file]).toMatchObject({ size: s.size, mtimeMs: s.mtimeMs });
    }
  });
});
