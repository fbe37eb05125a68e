import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';
import {
  type AbsValues,
  absValuesOf,
  buildPatchBody,
  compareKey,
  sameAbsValue,
  snapshotKey,
  toAbsValue,
  type WritableField,
} from '../../src/abs/stored-form.js';

const dir = new URL('../fixtures/abs/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const item = (name: string) => {
  const body = load(`${name}.json`);
  return AbsLibraryItemSchema.parse(body.libraryItem ?? body);
};
const phm = item('20b_item_get_expanded_phm');

/** The fields of `desired` ABS would report as changed against the item's stored values. */
function changedFields(name: string, desired: Record<string, unknown>): string[] {
  const current = absValuesOf(item(name).media);
  return Object.entries(desired)
    .filter(([field, value]) => !sameAbsValue(field as WritableField, current[field as WritableField], value))
    .map(([field]) => field);
}

describe('toAbsValue: the exact form ABS stores (ABS-API.md §7.2)', () => {
  it.each([
    ['publisher', '', null],
    ['publisher', '  Tor  ', 'Tor'],
    ['publishedYear', 2021, '2021'],
    ['authors', ['Andy Weir'], [{ name: 'Andy Weir' }]],
    ['authors', [{ name: 'Andy Weir', asin: 'B00G0WYW92' }], [{ name: 'Andy Weir' }]],
    // Two case-variants in one PATCH make ABS insert one book-author row twice (its crash).
    ['authors', [{ name: 'Frank Herbert' }, { name: ' frank herbert ' }], [{ name: 'Frank Herbert' }]],
    ['series', [{ name: 'Bobiverse', sequence: 1 }], [{ name: 'Bobiverse', sequence: '1' }]],
    ['series', [{ name: 'Solo' }], [{ name: 'Solo', sequence: null }]],
    // ABS keeps a sequence verbatim: "Book 2" is not "2" (providers clean sequences, not ABS).
    ['series', [{ name: 'Dune', sequence: 'Book 2' }], [{ name: 'Dune', sequence: 'Book 2' }]],
    [
      'series',
      [
        { name: 'Dune', sequence: '1' },
        { name: 'DUNE', sequence: '2' },
        { name: ' ', sequence: '3' },
      ],
      [{ name: 'Dune', sequence: '1' }],
    ],
    ['explicit', 'yes', true],
    ['tags', ['a', '', ' b ', 'a'], ['a', 'b']],
    ['genres', ['Fantasy', 'fantasy'], ['Fantasy', 'fantasy']],
  ] as const)('%s %j → %j', (field, input, expected) => {
    expect(toAbsValue(field, input)).toEqual(expected);
  });

  it('sanitises a description exactly as ABS stored it (recorded 33c: iframe stripped)', () => {
    const req = load('requests/33c_patch_unsanitized_desc_repeat1.request.json') as {
      body: { metadata: { description: string } };
    };
    const res = item('33c_patch_unsanitized_desc_repeat1');
    expect(toAbsValue('description', req.body.metadata.description)).toBe(res.media.metadata.description);
  });

  it('gives the same snapshot for the same metadata whatever derived keys and ids differ', () => {
    const other = structuredClone(phm);
    other.media.metadata.authorName = 'something else';
    (other.media.metadata.authors ?? [])[0]!.id = 'new-id';
    expect(snapshotKey(other.media)).toBe(snapshotKey(phm.media));
    other.media.tags = ['x'];
    expect(snapshotKey(other.media)).not.toBe(snapshotKey(phm.media));
  });
});

describe('compareKey: "changed" as ABS decides it (recorded items)', () => {
  it('the 30c clean body against the item it produced: nothing changed, so no request', () => {
    const { body } = load('requests/30c_patch_media_phm_clean_identical_noop.request.json');
    expect(
      changedFields('30c_patch_media_phm_clean_identical_noop', { ...body.metadata, tags: body.tags }),
    ).toEqual([]);
  });

  it('an unsanitised description equals ABS’s sanitised copy (30b would loop otherwise)', () => {
    const { description } = load('requests/30_patch_media_phm.request.json').body.metadata;
    expect(changedFields('30_patch_media_phm', { description })).toEqual([]);
  });

  it('"" equals null (33 vs 33e); case-only author and series renames are not changes', () => {
    const desired = {
      publisher: '',
      authors: [{ name: 'becky chambers' }],
      series: [{ name: 'MONK & ROBOT', sequence: '1' }],
    };
    expect(changedFields('31f_patch_clear_with_empty_string', desired)).toEqual([]);
  });

  it('a reordered narrators/genres/tags list is a change; an author or series reorder is not', () => {
    expect(compareKey('genres', ['a', 'b'])).not.toBe(compareKey('genres', ['b', 'a']));
    expect(compareKey('authors', [{ name: 'A' }, { name: 'B' }])).toBe(
      compareKey('authors', [{ name: 'b' }, { name: 'a' }]),
    );
    expect(compareKey('series', [{ name: 'S', sequence: '1' }, { name: 'T' }])).toBe(
      compareKey('series', [{ name: 't' }, { name: 's', sequence: '1' }]),
    );
    const desired = {
      narrators: ['Kate Reading', 'Michael Kramer'],
      authors: [{ name: 'Brandon Sanderson' }],
      tags: ['batch-updated'],
    };
    expect(changedFields('24_item_final_expanded_wok', desired)).toEqual(['narrators']);
  });

  it('a changed sequence is a change, and so is "Book 1" against ABS’s "1"', () => {
    expect(
      changedFields('24_item_final_expanded_wok', {
        series: [{ name: 'The Stormlight Archive', sequence: '1.5' }],
      }),
    ).toEqual(['series']);
    expect(
      changedFields('24_item_final_expanded_wok', {
        series: [{ name: 'The Stormlight Archive', sequence: 'Book 1' }],
      }),
    ).toEqual(['series']);
  });
});

describe('buildPatchBody', () => {
  it('puts tags at the top level, authors as {name}, sequences as strings or null', () => {
    expect(
      buildPatchBody({ tags: ['t'], authors: [{ name: 'A' }], series: [{ name: 'S' }], publisher: null }),
    ).toEqual({
      tags: ['t'],
      metadata: { authors: [{ name: 'A' }], series: [{ name: 'S', sequence: null }], publisher: null },
    });
  });

  it('never sends a value ABS would store differently, even when handed one', () => {
    const values = { publisher: '', authors: [{ name: 'X' }, { name: 'x' }], tags: ['t', 't'] } as AbsValues;
    expect(buildPatchBody(values)).toEqual({
      tags: ['t'],
      metadata: { publisher: null, authors: [{ name: 'X' }] },
    });
  });
});
