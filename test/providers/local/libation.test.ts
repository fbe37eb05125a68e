import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createLibationProvider } from '../../../src/providers/local/libation.js';
import { mapLibationProduct, parseLibationExport } from '../../../src/providers/local/libation-map.js';
import { FIXTURES, LIBRARY, lookupFolder, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const HP = path.join(LIBRARY, "Libation/Harry Potter and the Sorcerer's Stone [B017V4IM1G]");
const HP_SIDECAR = path.join(HP, "Harry Potter and the Sorcerer's Stone [B017V4IM1G].metadata.json");
const CSV = path.join(FIXTURES, 'libation/library-export.constructed.csv');
const JSON_EXPORT = path.join(FIXTURES, 'libation/library-export.constructed.json');

describe('Libation .metadata.json sidecar', () => {
  it('maps the Audible product and its ChapterInfo', () => {
    const fields = mapLibationProduct(JSON.parse(readFileSync(HP_SIDECAR, 'utf8')), HP_SIDECAR);
    expect(fields).toMatchObject({
      title: "Harry Potter and the Sorcerer's Stone, Book 1",
      authors: [{ name: 'J.K. Rowling', asin: 'B000AP9A6K' }],
      narrators: ['Jim Dale'],
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World Collection', sequence: '1' },
      ],
      asin: 'B017V4IM1G',
      isbn: '9781781102633',
      language: 'English',
      abridged: false,
      durationSeconds: 498 * 60,
      publishedDate: '2015-11-20',
    });
    expect(fields.chapters?.[1]).toEqual({
      start: 30.924,
      end: 30.924 + 1732.654,
      title: 'Chapter 1: The Boy Who Lived',
    });
  });

  it('is preferred by the provider, with provenance naming the sidecar file', async () => {
    const r = await lookupFolder(createLibationProvider({ weight: 0.95 }), HP);
    expect(r.matchConfidence).toBeGreaterThan(0.95);
    expect(r.sourceRefs?.narrators).toBe(HP_SIDECAR);
    expect(r.sourceRefs?.asin).toBe(HP_SIDECAR);
  });

  it('rejects a product without an ASIN with a note, keeping the [ASIN] from the folder name', async () => {
    const dir = path.join(tmp.dir, 'Broken Book [B0BROKEN01]');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'Broken Book [B0BROKEN01].metadata.json'), JSON.stringify({ title: 'x' }));
    const r = await lookupFolder(createLibationProvider({ weight: 0.95 }), dir);
    expect(r.fields.asin).toBe('B0BROKEN01');
    expect(r.sourceRefs?.asin).toBe(`${dir} (Libation [ASIN] name)`);
    expect(r.notes?.join('\n')).toMatch(
      /Broken Book \[B0BROKEN01\]\.metadata\.json: ignored Libation metadata sidecar .*asin/,
    );
  });
});

describe('Libation library export', () => {
  it.each([
    ['CSV', CSV],
    ['JSON', JSON_EXPORT],
  ])('parses the %s export into the same book', (_kind, file) => {
    const [book] = parseLibationExport(readFileSync(file, 'utf8'), file);
    expect(book?.asin).toBe('B017V4IM1G');
    expect(book?.fields).toMatchObject({
      authors: [{ name: 'J.K. Rowling' }],
      narrators: ['Jim Dale'],
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World Collection', sequence: '1' },
      ],
      genres: ['Fantasy', 'Coming of Age'],
      durationSeconds: 498 * 60,
      cover: { url: 'https://images-na.ssl-images-amazon.com/images/I/91eopoUCjLL.jpg' },
    });
  });

  it('is joined by the ASIN in the folder name', async () => {
    const dir = path.join(tmp.dir, 'HP [B017V4IM1G]');
    mkdirSync(dir);
    const r = await lookupFolder(createLibationProvider({ weight: 0.95, exportPath: CSV }), dir);
    expect(r.fields.narrators).toEqual(['Jim Dale']);
    expect(r.sourceRefs?.narrators).toBe(`${CSV} (Libation export, B017V4IM1G)`);
    expect(r.matchConfidence).toBe(0.95);
  });

  it('is joined by title when there is no ASIN, with a lower match confidence', async () => {
    const dir = path.join(tmp.dir, "Harry Potter and the Sorcerer's Stone, Book 1");
    mkdirSync(dir);
    const r = await lookupFolder(createLibationProvider({ weight: 0.95, exportPath: JSON_EXPORT }), dir);
    expect(r.fields.asin).toBe('B017V4IM1G');
    expect(r.matchConfidence).toBe(0.7);
  });

  it('reports a missing or broken export as a note and still reads the sidecar', async () => {
    const broken = path.join(tmp.dir, 'broken-export.json');
    writeFileSync(broken, '[{"Title": 1}');
    const dir = path.join(tmp.dir, 'copy [B017V4IM1G]');
    mkdirSync(dir);
    copyFileSync(HP_SIDECAR, path.join(dir, 'copy [B017V4IM1G].metadata.json'));
    const r = await lookupFolder(createLibationProvider({ weight: 0.95, exportPath: broken }), dir);
    expect(r.fields.narrators).toEqual(['Jim Dale']);
    expect(r.notes?.join('\n')).toContain(`Libation export ${broken} not used`);
  });

  it('parseLibationExport throws only ValidationError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseLibationExport(text, 'x.csv');
        } catch (error) {
          expect((error as Error).name).toBe('ValidationError');
        }
      }),
      { numRuns: 300 },
    );
  });
});
