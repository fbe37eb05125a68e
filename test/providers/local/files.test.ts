import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanItemFolder } from '../../../src/providers/local/files.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('scanItemFolder', () => {
  it('lists disc folders in natural order, skips hidden files, and cuts symlink loops with a note', async () => {
    const root = path.join(tmp.dir, 'book');
    mkdirSync(path.join(root, 'CD10'), { recursive: true });
    mkdirSync(path.join(root, 'CD2'));
    writeFileSync(path.join(root, 'CD10', 'a.mp3'), '');
    writeFileSync(path.join(root, 'CD2', 'a.mp3'), '');
    writeFileSync(path.join(root, '.DS_Store'), '');
    writeFileSync(path.join(root, 'cover.jpg'), '');
    symlinkSync(root, path.join(root, 'CD2', 'loop'));
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.mp3'));
    const scan = await scanItemFolder(root, { maxDepth: 4 });
    expect(scan.audio.map((f) => f.rel)).toEqual(['CD2/a.mp3', 'CD10/a.mp3']);
    expect(scan.files.map((f) => f.rel)).toContain('cover.jpg');
    expect(scan.notes.join('\n')).toContain('already visited');
    expect(scan.notes.join('\n')).toContain('dangling.mp3: broken link');
  });

  it('reports an unreadable folder as a note instead of throwing', async () => {
    const scan = await scanItemFolder(path.join(tmp.dir, 'does-not-exist'));
    expect(scan.files).toEqual([]);
    expect(scan.notes[0]).toMatch(/does-not-exist: cannot list folder/);
  });
});
