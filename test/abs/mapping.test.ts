import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyChapters, fromAbsItem, parseSeriesName } from '../../src/abs/mapping.js';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';

const dir = new URL('../fixtures/abs/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const parse = (raw: unknown) => AbsLibraryItemSchema.parse(raw);

describe('fromAbsItem over recorded items', () => {
  it.each([
    ['20_item_get_plain_phm.json', 'Project Hail Mary', [{ name: 'Andy Weir' }], 18],
    ['20b_item_get_expanded_phm.json', 'Project Hail Mary', [{ name: 'Andy Weir' }], 18],
    ['24_item_final_expanded_wok.json', 'The Way of Kings', [{ name: 'Brandon Sanderson' }], undefined],
    ['24g_item_final_plain_dune.json', 'Dune', [{ name: 'Frank Herbert' }], undefined],
  ])('%s → title, authors, duration', (file, title, authors, duration) => {
    const view = fromAbsItem(parse(load(file)));
    expect(view.metadata.title).toBe(title);
    expect(view.metadata.authors).toEqual(authors);
    if (duration !== undefined) expect(view.durationSeconds).toBeCloseTo(duration, 0);
    expect(view.minified).toBe(false);
    expect(view.path.startsWith('/audiobooks/')).toBe(true);
  });

  it('maps the full expanded WoK item: series with string sequence, tags, chapters, cover, empties left out', () => {
    const view = fromAbsItem(parse(load('24_item_final_expanded_wok.json')));
    expect(view.metadata).toMatchObject({
      series: [{ name: 'The Stormlight Archive', sequence: '1' }],
      narrators: ['Michael Kramer', 'Kate Reading'],
      tags: ['batch-updated'],
      isbn: '9780765326355',
      explicit: false,
    });
    expect(view.metadata.publishedDate).toBeUndefined(); // null in ABS
    expect(view.chapters).toHaveLength(3);
    expect(view.coverPath).toBe('/metadata/items/11708da4-173b-4cbd-9b4e-72a9abd06416/cover.jpg');
  });

  it('rebuilds names from a minified listing and marks it minified', () => {
    const page = load('14c_library_items_paged_sorted.json');
    const views = page.results.map((r: unknown) => fromAbsItem(parse(r)));
    expect(views.every((v: { minified: boolean }) => v.minified)).toBe(true);
    expect(views[0].metadata.authors).toEqual([{ name: 'Becky Chambers' }]);
    expect(views[0].metadata.series).toBeUndefined(); // seriesName ""
  });

  it('reports isMissing for a deleted folder', () => {
    expect(fromAbsItem(parse(load('21_item_get_missing_expanded.json'))).isMissing).toBe(true);
  });

  it('parses socket item payloads', () => {
    const view = fromAbsItem(parse(load('events/item_added.example.json')));
    expect(view.metadata.title).toBe('Children of Time');
  });
});

describe('chapter classification and series names', () => {
  it.each([
    [[], [100], 'none'],
    [
      [
        { start: 0, end: 50, title: 'Part 1' },
        { start: 50, end: 90, title: 'Part 2' },
      ],
      [50, 40],
      'per-file',
    ],
    [
      [
        { start: 0, end: 30, title: 'One' },
        { start: 30, end: 90, title: 'Two' },
      ],
      [50, 40],
      'real',
    ],
    [
      [
        { start: 0, end: 5, title: 'C1' },
        { start: 5, end: 18, title: 'C2' },
      ],
      [18],
      'real',
    ],
  ] as const)('%j with files %j → %s', (chapters, files, kind) => {
    expect(classifyChapters([...chapters], [...files])).toBe(kind);
  });

  it.each([
    ['The Stormlight Archive #1', [{ name: 'The Stormlight Archive', sequence: '1' }]],
    [
      'Dune Chronicles #1, Other',
      [
        { name: 'Dune Chronicles', sequence: '1' },
        { name: 'Other', sequence: null },
      ],
    ],
    ['', []],
  ])('parseSeriesName(%j)', (input, expected) => {
    expect(parseSeriesName(input)).toEqual(expected);
  });
});
