import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBinary, LIBRARY, makeAudio, tempDir } from './helpers.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = tempDir('abs-identify-');
afterAll(() => tmp.cleanup());
// An explicit empty config, so a developer's ./config.json cannot change what the test sees.
const CONFIG = path.join(tmp.dir, 'config.json');
writeFileSync(CONFIG, '{}');

interface Output {
  decision: string;
  metadata: Record<string, unknown>;
  provenance: Record<string, { provider: string; sourceRef?: string }[]>;
  providers: { provider: string; status: string; notes?: string[] }[];
}

async function identifyOffline(relative: string, root = LIBRARY): Promise<Output> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      '--log-level',
      'silent',
      'identify',
      path.join(root, relative),
      '--offline',
      '--json',
    ],
    { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
  );
  return JSON.parse(stdout) as Output;
}

const sourceOf = (out: Output, field: string) => out.provenance[field]?.[0]?.sourceRef ?? '';

describe('abs-bridge identify <folder> --offline over the sample library', { timeout: 60_000 }, () => {
  it('ABS metadata.json book: fields from the sidecar, provenance naming it', async () => {
    const dir = 'Martha Wells/The Murderbot Diaries/01 - All Systems Red';
    const out = await identifyOffline(dir);
    expect(out.metadata).toMatchObject({
      title: 'All Systems Red',
      authors: [{ name: 'Martha Wells' }],
      narrators: ['Kevin R. Free'],
      series: [{ name: 'The Murderbot Diaries', sequence: '1' }],
      asin: 'B075DHVH1W',
    });
    expect(sourceOf(out, 'title')).toBe(path.join(LIBRARY, dir, 'metadata.json'));
    expect(sourceOf(out, 'durationSeconds')).toBe(path.join(LIBRARY, dir, 'All Systems Red.mp3'));
    expect(out.decision).toBe('apply');
  });

  it('Libation book: the .metadata.json sidecar wins, ASIN agrees with the folder name', async () => {
    const dir = "Libation/Harry Potter and the Sorcerer's Stone [B017V4IM1G]";
    const out = await identifyOffline(dir);
    expect(out.metadata).toMatchObject({
      title: "Harry Potter and the Sorcerer's Stone, Book 1",
      authors: [{ name: 'J.K. Rowling' }],
      narrators: ['Jim Dale'],
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World Collection', sequence: '1' },
      ],
      asin: 'B017V4IM1G',
    });
    expect(sourceOf(out, 'narrators')).toBe(
      path.join(LIBRARY, dir, "Harry Potter and the Sorcerer's Stone [B017V4IM1G].metadata.json"),
    );
    expect(out.provenance.asin?.map((p) => p.provider)).toEqual(
      expect.arrayContaining(['local-libation', 'local-folder']),
    );
  });

  it('multi-file book: OPF, tags (ASIN) and the {Narrator} folder name combine', async () => {
    const dir = 'Frank Herbert/Dune {Scott Brick}';
    const out = await identifyOffline(dir);
    expect(out.metadata).toMatchObject({
      title: 'Dune',
      authors: [{ name: 'Frank Herbert' }],
      series: [{ name: 'Dune', sequence: '1' }],
      asin: 'B002V1OF70',
      isbn: '9780441013593',
    });
    expect((out.metadata.narrators as string[])[0]).toBe('Scott Brick');
    expect(sourceOf(out, 'asin')).toBe(`${path.join(LIBRARY, dir, 'Dune - Part 01.mp3')} (tag audible_asin)`);
    expect(sourceOf(out, 'series')).toBe(path.join(LIBRARY, dir, 'Dune.opf'));
    expect(out.metadata.chapters).toHaveLength(2);
  });

  it('names-only book with a corrupt audio file: folder + NFO + Latin-1 desc.txt, sent to review', async () => {
    const dir = 'Terry Pratchett/Discworld/Book 2 - The Light Fantastic [B0CJZ7W6V1]';
    const out = await identifyOffline(dir);
    expect(out.metadata).toMatchObject({
      title: 'The Light Fantastic',
      authors: [{ name: 'Terry Pratchett' }],
      narrators: ['Nigel Planer'],
      series: [{ name: 'Discworld', sequence: '2' }],
      asin: 'B0CJZ7W6V1',
    });
    expect(out.metadata.description).toContain('Café society');
    expect(sourceOf(out, 'narrators')).toBe(path.join(LIBRARY, dir, 'release.nfo'));
    expect(sourceOf(out, 'series')).toBe(`${path.join(LIBRARY, 'Terry Pratchett/Discworld')} (folder name)`);
    const tagNotes = out.providers.find((p) => p.provider === 'local-tags')?.notes?.join('\n') ?? '';
    expect(tagNotes).toContain('01 - corrupt.mp3: cannot read audio tags');
    expect(out.decision).toBe('review');
  });
});

/** Tags as a tagger that knows no author would leave them: title, album, composer, date, genre, ASIN. */
const NO_ARTIST_TAGS = [
  ['title', 'Walking Backwards'],
  ['album', 'Walking Backwards'],
  ['composer', 'Jane Reader'],
  ['date', '2014'],
  ['genre', 'Fiction'],
  ['ASIN', 'B00WALKBK1'],
].flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);

describe.skipIf(!hasBinary('ffmpeg'))(
  'identify --offline over files made with ffmpeg',
  { timeout: 60_000 },
  () => {
    it.each([
      ['m4b, no artist tag (mdta key table)', 'book.m4b', ['-c:a', 'aac', '-movflags', 'use_metadata_tags']],
      ['mp3, no artist tag', 'book.mp3', ['-c:a', 'libmp3lame', '-id3v2_version', '3']],
      ['mp3 with an artist tag', 'book.mp3', ['-c:a', 'libmp3lame', '-metadata', 'artist=Ann Author']],
    ])('%s: title, narrator (composer), ASIN and year come from the tags', async (name, file, args) => {
      const dir = path.join(tmp.dir, name.replace(/\W+/g, '-'), 'Some Folder');
      mkdirSync(dir, { recursive: true });
      makeAudio(path.join(dir, file), 2, [...NO_ARTIST_TAGS, ...args]);
      const out = await identifyOffline(path.relative(tmp.dir, dir), tmp.dir);
      expect(out.metadata).toMatchObject({
        title: 'Walking Backwards',
        narrators: ['Jane Reader'],
        asin: 'B00WALKBK1',
        publishedYear: '2014',
      });
      expect(sourceOf(out, 'narrators')).toBe(`${path.join(dir, file)} (tag composer)`);
      if (args.includes('artist=Ann Author')) expect(out.metadata.authors).toEqual([{ name: 'Ann Author' }]);
      expect(out.providers.find((p) => p.provider === 'local-tags')?.status).toBe('found');
    });
  },
);
