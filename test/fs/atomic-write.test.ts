import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.js';
import { atomicWrite } from '../../src/fs/atomic-write.js';

describe('atomicWrite', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const temp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    dirs.push(d);
    return d;
  };

  it('creates missing folders, writes text as UTF-8 and bytes as given, leaving no temp file', async () => {
    const dir = temp();
    const target = path.join(dir, 'a', 'b', 'metadata.json');
    await atomicWrite(target, 'Les Misérables — 第一部');
    expect(readFileSync(target, 'utf8')).toBe('Les Misérables — 第一部');
    await atomicWrite(target, new Uint8Array([0xff, 0x00, 0x41]));
    expect([...readFileSync(target)]).toEqual([0xff, 0x00, 0x41]);
    expect(readdirSync(path.dirname(target))).toEqual(['metadata.json']);
  });

  it("keeps an existing file's permission bits when replacing it", async () => {
    const dir = temp();
    const target = path.join(dir, 'book.opf');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    await atomicWrite(target, 'new');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('fails with a FileError naming the target and removes its temp file', async () => {
    const dir = temp();
    const target = path.join(dir, 'folder-in-the-way');
    // A directory where the file should go: the rename fails after the temp file was written.
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(target, 'child'), { recursive: true }));
    const error = await atomicWrite(target, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as Error).message).toMatch(/folder-in-the-way.*could not write atomically/);
    expect(readdirSync(dir)).toEqual(['folder-in-the-way']);
  });

  it('returns the size and mtime a later stat sees (the rename keeps both)', async () => {
    const dir = temp();
    const target = path.join(dir, 'metadata.json');
    const created = await atomicWrite(target, 'Les Misérables');
    const afterCreate = statSync(target);
    expect(created).toEqual({ size: afterCreate.size, mtimeMs: afterCreate.mtimeMs });
    expect(created.size).toBe(Buffer.byteLength('Les Misérables'));
    utimesSync(target, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const replaced = await atomicWrite(target, new Uint8Array(5), { existing: afterCreate });
    const afterReplace = statSync(target);
    expect(replaced).toEqual({ size: 5, mtimeMs: afterReplace.mtimeMs });
    expect(replaced.mtimeMs).toBeGreaterThan(new Date('2020-01-01T00:00:00Z').getTime());
  });

  it('keeps the mode the caller passes in, without a stat of its own', async () => {
    const dir = temp();
    const target = path.join(dir, 'book.opf');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    // A mode other than the file's: only the one passed in can be the result.
    await atomicWrite(target, 'new', { existing: { mode: 0o100604 } });
    expect(statSync(target).mode & 0o777).toBe(0o604);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('takes `existing: null` at its word: a new file gets the default mode', async () => {
    const dir = temp();
    const fresh = path.join(dir, 'fresh');
    writeFileSync(fresh, '');
    const target = path.join(dir, 'book.opf');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    await atomicWrite(target, 'new', { existing: null });
    expect(statSync(target).mode & 0o777).toBe(statSync(fresh).mode & 0o777);
    expect(readdirSync(dir).sort()).toEqual(['book.opf', 'fresh']);
  });
});
