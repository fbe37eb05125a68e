import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/domain/versioning.js';
import { ValidationError } from '../../src/errors.js';
import { buildOpf, parseOpf, readOpfSchemaVersion } from '../../src/formats/opf.js';
import { parseOpfVersioned } from '../../src/formats/opf-parse.js';
import { itemToCanonical, loadFixture, loadItem } from './abs-item.js';

describe('parseOpf on OPFs written by other tools', () => {
  it('reads a Calibre OPF with ns0: prefixes, roles, schemes and a detached series_index', () => {
    expect(parseOpf(loadFixture('opf/calibre-ns0.opf'), 'calibre-ns0.opf')).toEqual({
      title: 'Le Petit Prince',
      authors: [{ name: 'Antoine de Saint-Exupéry' }],
      narrators: ['Bernard Giraudeau'],
      publishedYear: '1943',
      publishedDate: '1943-04-06',
      // Calibre stores HTML escaped; the reader gives back the HTML itself.
      description: '<p>Un aviateur &amp; un petit prince.</p>',
      publisher: 'Gallimard',
      isbn: '9782070612758',
      asin: 'B00ABCDEF1',
      language: 'fra',
      genres: ['Conte', 'Jeunesse'],
      series: [{ name: 'Classiques', sequence: '7' }],
      rating: 4,
    });
  });

  it('reads OPF 3 refines, text-form identifiers and belongs-to-collection', () => {
    expect(parseOpf(loadFixture('opf/epub3-refines.opf'), 'epub3.opf')).toEqual({
      title: 'The Last Wish',
      authors: [{ name: 'Andrzej Sapkowski' }],
      narrators: ['Peter Kenny'],
      isbn: '9780316029186',
      asin: 'B005EZ52XK',
      language: 'en',
      publishedYear: '2007',
      series: [{ name: 'The Witcher', sequence: '0.5' }],
    });
  });

  it('names the source for malformed XML and for XML that is not an OPF', () => {
    expect(() => parseOpf('<package><metadata>', 'broken.opf')).toThrow(/broken\.opf: .*not well-formed XML/);
    expect(() => parseOpf('<html><body/></html>', 'page.opf')).toThrow(ValidationError);
    expect(() => parseOpf('<html><body/></html>', 'page.opf')).toThrow(/page\.opf: .*no <package><metadata>/);
  });
});

describe('buildOpf', () => {
  it('records our schema version and reads it back', () => {
    const xml = buildOpf({ title: 'T', customFields: {} });
    expect(readOpfSchemaVersion(xml, 't.opf')).toBe(SCHEMA_VERSION);
    expect(readOpfSchemaVersion(loadFixture('opf/calibre-ns0.opf'), 'c.opf')).toBeUndefined();
  });

  it('accepts an older version of ours and refuses an unknown one', () => {
    const old = buildOpf({ title: 'T', customFields: {} }).replace(
      `content="${SCHEMA_VERSION}"`,
      'content="1.0.0"',
    );
    expect(parseOpfVersioned(old, 'old.opf')).toMatchObject({
      migratedFrom: '1.0.0',
      metadata: { title: 'T' },
    });
    const future = old.replace('content="1.0.0"', 'content="9.0.0"');
    expect(() => parseOpfVersioned(future, 'future.opf')).toThrow(
      /future\.opf: .*unknown schema version "9\.0\.0"/,
    );
  });

  it('escapes markup in values through the XML builder and drops characters XML cannot carry', () => {
    const xml = buildOpf({ title: 'A </dc:title><evil/> & "B"\u0001', customFields: {} });
    expect(xml).toContain('<dc:title>A &lt;/dc:title&gt;&lt;evil/&gt; &amp; &quot;B&quot;</dc:title>');
    expect(parseOpf(xml, 'x').title).toBe('A </dc:title><evil/> & "B"');
  });

  it('uses a stable synthetic identifier when there is no ISBN or ASIN', () => {
    const a = buildOpf({ title: 'Same', authors: [{ name: 'X' }], customFields: {} });
    const b = buildOpf({ title: 'Same', authors: [{ name: 'X' }], customFields: {} });
    expect(a).toBe(b);
    expect(a).toMatch(
      /<dc:identifier opf:scheme="abs-bridge" id="BookId">urn:abs-bridge:[0-9a-f]{32}<\/dc:identifier>/,
    );
  });
});

const hasEbookMeta = spawnSync('ebook-meta', ['--version']).status === 0;

describe('real consumer: Calibre ebook-meta', () => {
  it.skipIf(!hasEbookMeta)('reads title, authors, series, identifiers, tags and publisher of our OPF', () => {
    // Skipped only when calibre's ebook-meta is not installed (apt-get install calibre).
    const wok = itemToCanonical(loadItem('item_wok_expanded.json'));
    const dir = mkdtempSync(path.join(tmpdir(), 'opf-calibre-'));
    const file = path.join(dir, 'metadata.opf');
    writeFileSync(file, buildOpf({ ...wok, title: 'The Way of Kings & <More> 🎧' }));
    const out = execFileSync('ebook-meta', [file], { encoding: 'utf8' });
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(out)?.[1];
    expect(field('Title')).toBe('The Way of Kings & <More> 🎧');
    expect(field('Author\\(s\\)')).toBe('Brandon Sanderson [Sanderson, Brandon]');
    expect(field('Series')).toBe('The Stormlight Archive #1');
    expect(field('Identifiers')).toBe('isbn:9780765326355, asin:B003ZWFO7E');
    expect(field('Tags')).toBe('Fantasy, Epic');
    expect(field('Publisher')).toBe('Macmillan Audio');
  });
  if (!hasEbookMeta)
    console.warn('SKIPPED: calibre ebook-meta is not installed; the OPF was not checked by Calibre');
});
