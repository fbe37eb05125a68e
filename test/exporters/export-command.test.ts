import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseAbsMetadataJson } from '../../src/formats/abs-metadata-json.js';
import { parseOpf } from '../../src/formats/opf.js';

const networkOff = Object.fromEntries(
  ['audible', 'audnexus', 'openlibrary', 'googlebooks', 'itunes', 'hardcover'].map((id) => [
    id,
    { enabled: false },
  ]),
);

/** A config with the folder provider and a mock that knows the book by that title; real network providers off. */
function writeConfig(root: string): string {
  const file = path.join(root, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      dataDir: path.join(root, 'data'),
      cache: { url: 'memory://' },
      providers: {
        ...networkOff,
        local: {
          tags: { enabled: false },
          sidecars: { enabled: false },
          libation: { enabled: false },
          folder: { enabled: true },
        },
        mock: [
          {
            // A network-kind mock: it is asked after the folder provider has found the title.
            id: 'mockNet',
            responses: {
              'project hail mary': {
                fields: {
                  title: 'Project Hail Mary',
                  authors: [{ name: 'Andy Weir' }],
                  narrators: ['Ray Porter'],
                  asin: 'B08G9PRS1K',
                  series: [{ name: 'Standalone', sequence: '1' }],
                },
                matchConfidence: 0.95,
              },
            },
          },
        ],
      },
    }),
  );
  return file;
}

describe('abs-bridge export', () => {
  let root: string;
  let book: string;
  let config: string;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
    book = path.join(root, 'Andy Weir', 'Project Hail Mary');
    mkdirSync(book, { recursive: true });
    // Not real audio: durations are unknown, which the playlist must show as -1.
    writeFileSync(path.join(book, 'Part 10.mp3'), 'x');
    writeFileSync(path.join(book, 'Part 2.mp3'), 'x');
    config = writeConfig(root);
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  const run = (...args: string[]) => main(['node', 'abs-bridge', '--config', config, ...args]);
  const jsonLines = () =>
    out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('writes each format into --out, with playlist paths relative to it, and reports one line per format', async () => {
    const outDir = path.join(root, 'exports');
    const code = await run(
      'export',
      book,
      '--format',
      'opf,metadata.json,m3u,cue',
      '--out',
      outDir,
      '--json',
    );
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(jsonLines().map((l) => [l.format, l.status, path.basename(l.path)])).toEqual([
      ['cue', 'written', 'Project Hail Mary.cue'],
      ['m3u', 'written', 'Project Hail Mary.m3u'],
      ['metadata.json', 'written', 'metadata.json'],
      ['opf', 'written', 'metadata.opf'],
    ]);
    const opf = parseOpf(readFileSync(path.join(outDir, 'metadata.opf'), 'utf8'), 'opf');
    expect(opf).toMatchObject({ title: 'Project Hail Mary', narrators: ['Ray Porter'], asin: 'B08G9PRS1K' });
    const json = parseAbsMetadataJson(readFileSync(path.join(outDir, 'metadata.json'), 'utf8'), 'json');
    expect(json.series).toEqual([{ name: 'Standalone', sequence: '1' }]);
    // Natural order (Part 2 before Part 10), relative to the export folder.
    const m3u = readFileSync(path.join(outDir, 'Project Hail Mary.m3u'), 'utf8');
    expect(m3u).toContain(
      '#EXTINF:-1,Andy Weir - Project Hail Mary (1/2)\n../Andy Weir/Project Hail Mary/Part 2.mp3\n',
    );
    expect(m3u.indexOf('Part 2.mp3')).toBeLessThan(m3u.indexOf('Part 10.mp3'));
  });

  it('uses the OPF name template', async () => {
    expect(await run('export', book, '--format', 'opf', '--opf-name', '{asin}.opf')).toBe(0);
    expect(existsSync(path.join(book, 'B08G9PRS1K.opf'))).toBe(true);
  });

  it('--dry-run prints what it would write and writes nothing', async () => {
    const before = readdirSync(book).sort();
    expect(await run('export', book, '--format', 'opf,md', '--dry-run')).toBe(0);
    expect(readdirSync(book).sort()).toEqual(before);
    const text = out.join('');
    expect(text).toContain(`opf: would write ${path.join(book, 'metadata.opf')}`);
    expect(text).toContain('<dc:title>Project Hail Mary</dc:title>');
    expect(text).toContain('| narrators | Ray Porter | mockNet |');
  });

  it('refuses an unknown format before doing anything, listing the valid ones', async () => {
    const code = await run('export', book, '--format', 'opf,epub');
    expect(code).not.toBe(0);
    expect(err.join('')).toContain(
      'unknown export format "epub"; valid formats: metadata.json, opf, nfo, cue, m3u, md',
    );
    expect(existsSync(path.join(book, 'metadata.opf'))).toBe(false);
  });

  it('reports a format it cannot produce and still writes the others', async () => {
    writeFileSync(path.join(book, 'Part 10.mp3'), '');
    const empty = path.join(root, 'Empty Book');
    mkdirSync(empty);
    const code = await run('export', empty, '--format', 'cue,opf', '--json');
    expect(code).toBe(1);
    const lines = jsonLines();
    expect(lines[0]).toMatchObject({ format: 'cue', status: 'failed' });
    expect(lines[0].error).toMatch(/needs the audio files/);
    expect(lines[1]).toMatchObject({ format: 'opf', status: 'written' });
  });
});
