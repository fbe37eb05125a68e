import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bagFromNative } from '../../../src/providers/local/tag-bag.js';
import { createTagsProvider } from '../../../src/providers/local/tags.js';
import { mapTagBag } from '../../../src/providers/local/tags-map.js';
import { FIXTURES, hasBinary, lookupFolder, makeAudio, tempDir } from './helpers.js';

const ffprobe = hasBinary('ffprobe');
const ffmpeg = hasBinary('ffmpeg');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A folder holding copies of the given shipped fixtures. */
function folderWith(name: string, files: string[]): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  return dir;
}

const CHAPTERS = [
  { start: 0, end: 1, title: 'Opening' },
  { start: 1, end: 2, title: 'Chapter One' },
  { start: 2, end: 3, title: 'Chapter Two' },
];

describe('tags provider over shipped files', () => {
  const provider = createTagsProvider({ weight: 0.8, ffprobePath: 'ffprobe' });

  it('reads ID3 tags, TXXX ASIN/ISBN/series and CHAP chapters from an mp3', async () => {
    const dir = folderWith('mp3', ['tagged-chapters.mp3']);
    const r = await lookupFolder(provider, dir);
    expect(r.fields).toMatchObject({
      title: 'Tagged Book',
      authors: [{ name: 'Jane Doe' }, { name: 'John Roe' }],
      narrators: ['Nick Narrator'],
      series: [{ name: 'Tagged Saga', sequence: '2' }],
      genres: ['Fantasy', 'Epic', 'Adventure'],
      publishedYear: '2019',
      asin: 'B0TAGGED01',
      isbn: '9780441013593',
      chapters: CHAPTERS,
    });
    expect(r.fields.durationSeconds).toBeCloseTo(3, 0);
    expect(r.sourceRefs?.asin).toBe(`${path.join(dir, 'tagged-chapters.mp3')} (tag audible_asin)`);
    expect(r.matchConfidence).toBeGreaterThanOrEqual(0.9);
  });

  it.skipIf(!ffprobe)('reads chapters of an m4b with the moov atom at the end through ffprobe', async () => {
    const dir = folderWith('moov-end', ['tagged-moov-end.m4b']);
    const r = await lookupFolder(provider, dir);
    expect(r.fields.title).toBe('Tagged Book');
    expect(r.fields.series).toEqual([{ name: 'Tagged Saga', sequence: '2' }]);
    expect(r.fields.chapters).toEqual(CHAPTERS);
    expect(r.sourceRefs?.chapters).toContain('(ffprobe)');
  });

  it.skipIf(!ffprobe)(
    'keeps the tags of a +faststart m4b whose chapter track music-metadata rejects',
    async () => {
      const dir = folderWith('faststart', ['tagged-faststart.m4b']);
      const r = await lookupFolder(provider, dir);
      expect(r.fields.title).toBe('Tagged Book');
      expect(r.fields.chapters).toEqual(CHAPTERS);
      expect(r.notes?.some((n) => n.includes('tagged-faststart.m4b') && n.includes('chapter track'))).toBe(
        true,
      );
    },
  );

  it('says clearly when ffprobe is missing, and still returns the tags', async () => {
    const dir = folderWith('no-ffprobe', ['tagged-moov-end.m4b']);
    const noProbe = createTagsProvider({ weight: 0.8, ffprobePath: '/nonexistent/ffprobe' });
    const r = await lookupFolder(noProbe, dir);
    expect(r.success).toBe(true);
    expect(r.fields.title).toBe('Tagged Book');
    expect(r.fields.chapters).toBeUndefined();
    expect(r.notes?.join('\n')).toMatch(/tagged-moov-end\.m4b: chapters not read — ffprobe not found/);
  });

  it('isolates a corrupt and a truncated file: a note names each, the good file still counts', async () => {
    const dir = folderWith('corrupt', ['tagged-chapters.mp3']);
    writeFileSync(path.join(dir, 'a-garbage.mp3'), 'ID3\u0003\u0000\u0000\u0000\u0000\u0000\u007fnot audio');
    writeFileSync(path.join(dir, 'b-empty.m4b'), '');
    const noProbe = createTagsProvider({ weight: 0.8, ffprobePath: '' });
    const r = await lookupFolder(noProbe, dir);
    expect(r.fields.asin).toBe('B0TAGGED01');
    const notes = r.notes?.join('\n') ?? '';
    expect(notes).toContain('a-garbage.mp3: cannot read audio tags');
    expect(notes).toContain('b-empty.m4b: no tags and no audio found');
    expect(notes).toMatch(/duration unknown for \d file/);
  });

  it('returns not found (no error) for a folder without audio', async () => {
    const r = await lookupFolder(provider, folderWith('empty', []));
    expect(r.success).toBe(false);
    expect(r.error).toBeUndefined();
  });
});

describe.skipIf(!ffmpeg)('tags provider over ffmpeg-generated multi-file books', () => {
  it('sums the duration of every part in natural order and makes one chapter per file', async () => {
    const dir = path.join(tmp.dir, 'parts');
    mkdirSync(path.join(dir, 'CD2'), { recursive: true });
    mkdirSync(path.join(dir, 'CD1'), { recursive: true });
    const tags = [
      '-metadata',
      'album=Dune',
      '-metadata',
      'artist=Frank Herbert',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '8k',
    ];
    makeAudio(path.join(dir, 'CD1', 'Part 2.mp3'), 2, [...tags, '-metadata', 'title=Second']);
    makeAudio(path.join(dir, 'CD1', 'Part 10.mp3'), 1, [...tags, '-metadata', 'title=Third']);
    makeAudio(path.join(dir, 'CD1', 'Part 1.mp3'), 3, [...tags, '-metadata', 'title=First']);
    makeAudio(path.join(dir, 'CD2', 'Part 1.mp3'), 1, [...tags, '-metadata', 'title=Fourth']);
    const r = await lookupFolder(createTagsProvider({ weight: 0.8, ffprobePath: 'ffprobe' }), dir);
    expect(r.fields.title).toBe('Dune');
    expect(r.fields.chapters?.map((c) => c.title)).toEqual(['First', 'Second', 'Third', 'Fourth']);
    expect(r.fields.durationSeconds).toBeGreaterThan(6.5);
    expect(r.fields.durationSeconds).toBeLessThan(7.8);
    expect(r.sourceRefs?.durationSeconds).toBe(`${dir} (4 audio files)`);
  });
});

describe('mapTagBag (Libation/tone conventions from music-metadata native tags)', () => {
  it('reads tone freeform atoms, ©nrt, the asin atom and cleans "(Unabridged)"', () => {
    const bag = bagFromNative({
      iTunes: [
        { id: '©nam', value: 'Project Hail Mary (Unabridged)' },
        { id: '©ART', value: 'Andy Weir' },
        { id: '©nrt', value: 'Ray Porter' },
        { id: '----:com.pilabor.tone:SUBTITLE', value: 'A Novel' },
        { id: '----:com.pilabor.tone:SERIES', value: 'Standalone' },
        { id: '----:com.pilabor.tone:PART', value: '1' },
        { id: '----:com.pilabor.tone:LANGUAGE', value: 'english' },
        { id: '----:com.pilabor.tone:PUBLISHER', value: 'Audible Studios' },
        { id: '----:com.pilabor.tone:AUDIBLE_ASIN', value: 'B08G9PRS1K' },
        { id: 'covr', value: { format: 'image/jpeg', data: new Uint8Array(2) } },
      ],
    });
    const fields = Object.fromEntries(mapTagBag(bag).map((t) => [t.field, t.value]));
    expect(fields).toEqual({
      title: 'Project Hail Mary',
      subtitle: 'A Novel',
      authors: [{ name: 'Andy Weir' }],
      narrators: ['Ray Porter'],
      series: [{ name: 'Standalone', sequence: '1' }],
      publisher: 'Audible Studios',
      language: 'English',
      asin: 'B08G9PRS1K',
    });
  });

  it('reads several series when series and part hold equal ;-separated counts', () => {
    const mapped = mapTagBag({ series: ['Discworld; Rincewind'], 'series-part': ['2; 2'] });
    expect(mapped[0]?.value).toEqual([
      { name: 'Discworld', sequence: '2' },
      { name: 'Rincewind', sequence: '2' },
    ]);
  });

  it('ignores an ASIN or ISBN that is not valid', () => {
    const fields = mapTagBag({ asin: ['nope'], isbn: ['9780441013594'], album: ['X'] }).map((t) => t.field);
    expect(fields).toEqual(['title']);
  });
});
