import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import {
  ABS_METADATA_JSON_KEYS,
  buildAbsMetadataJson,
  parseAbsMetadataJson,
  parseAbsSeries,
} from '../../src/formats/abs-metadata-json.js';
import { itemToCanonical, loadFixture, loadItem } from './abs-item.js';

// Each recorded sidecar was written by ABS 2.36 right after the PATCH whose response is the item file.
const PAIRS = [
  ['item_phm_after_patch.json', 'sidecar_written_by_abs_phm_metadata.json'],
  ['item_asr_after_patch.json', 'sidecar_written_by_abs_asr_after_patch.json'],
] as const;

describe('buildAbsMetadataJson', () => {
  it.each(PAIRS)('writes %s byte for byte as ABS did (%s)', (itemFile, sidecarFile) => {
    const canonical = itemToCanonical(loadItem(itemFile));
    expect(buildAbsMetadataJson(canonical)).toBe(loadFixture(`abs/${sidecarFile}`));
  });

  it('uses ABS key order, null for absent strings, [] for absent lists and false for absent flags', () => {
    const text = buildAbsMetadataJson({ title: 'Only a title', subtitle: '   ', customFields: {} });
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([...ABS_METADATA_JSON_KEYS]);
    expect(doc).toMatchObject({
      subtitle: null,
      authors: [],
      chapters: [],
      description: null,
      explicit: false,
    });
    expect(text.endsWith('}')).toBe(true);
  });

  it('sanitises the description with the ABS allow-list and writes null when nothing survives', () => {
    const withScript = JSON.parse(
      buildAbsMetadataJson({ description: '<p>ok</p><script>x</script>', customFields: {} }),
    );
    expect(withScript.description).toBe('<p>ok</p>');
    const onlyScript = JSON.parse(
      buildAbsMetadataJson({ description: '<script>x</script>', customFields: {} }),
    );
    expect(onlyScript.description).toBeNull();
  });

  it('writes "Name" for a series without a sequence and numbers chapters from 0', () => {
    const doc = JSON.parse(
      buildAbsMetadataJson({
        series: [
          { name: 'Discworld', sequence: null },
          { name: 'Watch', sequence: '2.5' },
        ],
        chapters: [
          { start: 0, end: 1.5, title: 'One' },
          { start: 1.5, end: 3, title: 'Two' },
        ],
        customFields: {},
      }),
    );
    expect(doc.series).toEqual(['Discworld', 'Watch #2.5']);
    expect(doc.chapters).toEqual([
      { start: 0, end: 1.5, title: 'One', id: 0 },
      { start: 1.5, end: 3, title: 'Two', id: 1 },
    ]);
  });
});

describe('parseAbsMetadataJson', () => {
  it.each(PAIRS)('reads the real sidecar back to the item metadata (%s)', (itemFile, sidecarFile) => {
    const expected = itemToCanonical(loadItem(itemFile));
    const { customFields: _c, ...fields } = expected;
    const parsed = parseAbsMetadataJson(loadFixture(`abs/${sidecarFile}`), sidecarFile);
    // An empty chapters list is "absent", exactly as ABS's scanner treats it.
    if (!fields.chapters?.length) delete fields.chapters;
    expect(parsed).toEqual(fields);
  });

  it('splits series with ABS rule: only a final " #token" without spaces is a sequence', () => {
    expect(parseAbsSeries('Mistborn #1')).toEqual({ name: 'Mistborn', sequence: '1' });
    expect(parseAbsSeries('Book #1 a')).toEqual({ name: 'Book #1 a', sequence: null });
    expect(parseAbsSeries('Name #1#2')).toEqual({ name: 'Name #1#2', sequence: null });
    expect(parseAbsSeries('#1')).toEqual({ name: '#1', sequence: null });
  });

  it('treats null and empty lists as absent, trims and de-duplicates list entries like ABS', () => {
    const parsed = parseAbsMetadataJson(
      JSON.stringify({
        title: null,
        authors: [],
        genres: [' SF ', 'SF', '', null],
        tags: ['a'],
        subtitle: '',
      }),
      'x/metadata.json',
    );
    expect(parsed).toEqual({ genres: ['SF'], tags: ['a'] });
  });

  it('reads the older layout with book fields under "metadata" and object-shaped entries', () => {
    const parsed = parseAbsMetadataJson(
      JSON.stringify({
        tags: ['t'],
        chapters: [{ start: 0, end: 10, title: 'Intro' }],
        metadata: {
          title: 'Old',
          authors: [{ id: 'x', name: 'A. Writer' }],
          series: [{ name: 'S', sequence: 3 }],
          publishedYear: 1999,
        },
      }),
      'old.json',
    );
    expect(parsed).toEqual({
      title: 'Old',
      authors: [{ name: 'A. Writer' }],
      series: [{ name: 'S', sequence: '3' }],
      publishedYear: '1999',
      tags: ['t'],
      chapters: [{ start: 0, end: 10, title: 'Intro' }],
    });
  });

  it('names the source and the problem for text that is not JSON', () => {
    expect(() => parseAbsMetadataJson('{"title": ', '/books/A/metadata.json')).toThrow(
      /\/books\/A\/metadata\.json: .*not valid JSON/,
    );
  });

  it('lists every field with a wrong type', () => {
    try {
      parseAbsMetadataJson(
        JSON.stringify({
          title: 42,
          explicit: 'yes',
          chapters: [{ start: 0 }, { start: null, end: '12.5', title: 'x' }],
        }),
        'bad.json',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues.join('\n');
      expect(issues).toMatch(/title/);
      expect(issues).toMatch(/explicit/);
      expect(issues).toMatch(/chapters\.0\.title/);
      expect(issues).toMatch(/chapters\.1\.start/);
      // A numeric string is a time ABS accepts.
      expect(issues).not.toMatch(/chapters\.1\.end/);
    }
  });

  it('refuses a top-level array', () => {
    expect(() => parseAbsMetadataJson('[1,2]', 'arr.json')).toThrow(/arr\.json: .*JSON object/);
  });
});
