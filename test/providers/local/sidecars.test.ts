import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNfo } from '../../../src/providers/local/nfo.js';
import { createSidecarsProvider } from '../../../src/providers/local/sidecars.js';
import { decodeText } from '../../../src/providers/local/text.js';
import { FIXTURES, lookupFolder, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const provider = createSidecarsProvider({ weight: 0.9 });
let n = 0;

function folder(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmp.dir, `item-${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const OPF = `<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>Dune</dc:title><dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:creator opf:role="nrt">Scott Brick</dc:creator>
<dc:identifier opf:scheme="ISBN">9780441013593</dc:identifier><dc:identifier opf:scheme="ASIN">B002V1OF70</dc:identifier>
<dc:language>eng</dc:language><meta name="calibre:series" content="Dune"/><meta name="calibre:series_index" content="1"/>
</metadata></package>`;

describe('sidecars provider', () => {
  it('reads the exact metadata.json ABS writes, naming the file in provenance', async () => {
    const dir = path.join(tmp.dir, 'phm');
    mkdirSync(dir);
    copyFileSync(
      path.join(FIXTURES, 'sidecars/sidecar_written_by_abs_phm_metadata.json'),
      path.join(dir, 'metadata.json'),
    );
    const r = await lookupFolder(provider, dir);
    expect(r.fields).toMatchObject({
      title: 'Project Hail Mary',
      subtitle: 'A Novel',
      authors: [{ name: 'Andy Weir' }],
      narrators: ['Ray Porter'],
      series: [{ name: 'Standalone SF Test Series', sequence: '1' }],
      asin: 'B08G9PRS1K',
      isbn: '9780593135204',
    });
    expect(r.fields.chapters).toHaveLength(3);
    expect(r.sourceRefs?.title).toBe(path.join(dir, 'metadata.json'));
    expect(r.matchConfidence).toBeGreaterThanOrEqual(0.9);
  });

  it('reads OPF creators by role, identifiers by scheme and calibre series', async () => {
    const dir = folder({ 'book.opf': OPF });
    const r = await lookupFolder(provider, dir);
    expect(r.fields).toMatchObject({
      title: 'Dune',
      authors: [{ name: 'Frank Herbert' }],
      narrators: ['Scott Brick'],
      series: [{ name: 'Dune', sequence: '1' }],
      isbn: '9780441013593',
      asin: 'B002V1OF70',
      language: 'English',
    });
    expect(r.sourceRefs?.narrators).toBe(path.join(dir, 'book.opf'));
  });

  it('migrates an old flat bridge.json (schema 1.0.0) and a versioned wrapper', async () => {
    const flat = folder({
      'bridge.json': JSON.stringify({
        title: 'Old',
        author: 'A One & B Two',
        series_name: 'S',
        series_position: 2,
        year: 2001,
      }),
    });
    expect((await lookupFolder(provider, flat)).fields).toMatchObject({
      title: 'Old',
      authors: [{ name: 'A One' }, { name: 'B Two' }],
      series: [{ name: 'S', sequence: '2' }],
      publishedYear: '2001',
    });
    const wrapped = folder({
      'bridge.json': JSON.stringify({ schemaVersion: '1.0.0', data: { title: 'Wrapped', narrator: 'N' } }),
    });
    expect((await lookupFolder(provider, wrapped)).fields).toMatchObject({
      title: 'Wrapped',
      narrators: ['N'],
    });
  });

  it('lets metadata.json win over OPF, txt and NFO, and keeps the fields only the others have', async () => {
    const dir = folder({
      'metadata.json': JSON.stringify({ title: 'From ABS', authors: ['Frank Herbert'] }),
      'book.opf': OPF,
      'desc.txt': 'Spice and sand.',
      'reader.txt': 'Scott Brick\nSimon Vance\n',
      'cover.jpg': 'jpeg',
    });
    const r = await lookupFolder(provider, dir);
    expect(r.fields.title).toBe('From ABS');
    expect(r.fields.description).toBe('Spice and sand.');
    expect(r.fields.narrators).toEqual(['Scott Brick']);
    expect(r.fields.cover).toEqual({ url: path.join(dir, 'cover.jpg') });
    expect(r.sourceRefs?.description).toBe(path.join(dir, 'desc.txt'));
  });

  it('turns broken sidecars into notes naming the file while the good ones still count', async () => {
    const dir = folder({
      'metadata.json': '{"title": "cut off',
      'broken.opf': '<package><metadata><dc:title>x</metadata>',
      'reader.txt': 'Nigel Planer',
    });
    const r = await lookupFolder(provider, dir);
    expect(r.fields.narrators).toEqual(['Nigel Planer']);
    const notes = r.notes?.join('\n') ?? '';
    expect(notes).toContain(`${path.join(dir, 'metadata.json')}: ignored metadata.json sidecar`);
    expect(notes).toContain(`${path.join(dir, 'broken.opf')}: ignored opf sidecar`);
  });

  it('refuses a bridge.json from a newer schema with a note', async () => {
    const dir = folder({
      'bridge.json': JSON.stringify({ schemaVersion: '9.0.0', data: {} }),
      'desc.txt': 'd',
    });
    const r = await lookupFolder(provider, dir);
    expect(r.notes?.join('\n')).toContain('unknown schema version "9.0.0"');
    expect(r.fields.description).toBe('d');
  });

  it('decodes UTF-16 (BOM) and Latin-1 text, and caps huge files', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café narrators', 'utf16le')]);
    const latin1 = Buffer.from('Caf\xe9 society', 'latin1');
    const dir = folder({ 'desc.txt': latin1, 'reader.txt': utf16 });
    const r = await lookupFolder(provider, dir);
    expect(r.fields.description).toBe('Café society');
    expect(r.fields.narrators).toEqual(['Café narrators']);
    const huge = folder({ 'desc.txt': 'x'.repeat(3 * 1024 * 1024) });
    const big = await lookupFolder(provider, huge);
    expect(big.fields.description).toHaveLength(2 * 1024 * 1024);
    expect(big.notes?.join('\n')).toContain('only its start was read');
  });
});

describe('parseNfo', () => {
  it('reads Kodi-style XML', () => {
    const xml = `<?xml version="1.0"?><album><title>Dune</title><artist>Frank Herbert</artist><narrator>Scott Brick</narrator>
      <genre>Science Fiction</genre><genre>Classic</genre><year>1965</year><plot>Spice.</plot><isbn>9780441013593</isbn></album>`;
    expect(parseNfo(xml)).toEqual({
      title: 'Dune',
      authors: [{ name: 'Frank Herbert' }],
      narrators: ['Scott Brick'],
      genres: ['Science Fiction', 'Classic'],
      publishedYear: '1965',
      description: 'Spice.',
      isbn: '9780441013593',
    });
  });

  it('reads release-group text NFOs with dotted keys', () => {
    const text =
      'Title........: The Light Fantastic\r\nAuthor.......: Terry Pratchett\r\nRead by......: Nigel Planer\r\nSeries: Discworld\r\nBook: 2\r\n';
    expect(parseNfo(text)).toMatchObject({
      title: 'The Light Fantastic',
      authors: [{ name: 'Terry Pratchett' }],
      narrators: ['Nigel Planer'],
      series: [{ name: 'Discworld', sequence: '2' }],
    });
  });

  it('never throws on arbitrary text or XML-ish input', () => {
    const xmlish = fc.array(
      fc.constantFrom('<album>', '</album>', '<title>', '</title>', '&amp;', '<!--', 'x', ':', '\n'),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          xmlish.map((p) => p.join('')),
        ),
        (text) => {
          expect(typeof parseNfo(text)).toBe('object');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodeText never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(typeof decodeText(bytes).text).toBe('string');
      }),
    );
  });
});
