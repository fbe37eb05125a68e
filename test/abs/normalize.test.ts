import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  changedFields,
  currentAsPatch,
  diffPatch,
  normalizeSequence,
  toAbsPatch,
} from '../../src/abs/normalize.js';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';

const dir = new URL('../fixtures/abs/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const item = (name: string) => {
  const body = load(`${name}.json`);
  return AbsLibraryItemSchema.parse(body.libraryItem ?? body);
};

describe('toAbsPatch: the exact form ABS stores', () => {
  it('sends null never "", strings for sequences and years, {name} authors, top-level tags', () => {
    const patch = toAbsPatch({
      title: ' Dune ',
      subtitle: '',
      authors: [{ name: 'Frank Herbert', asin: 'B000APZGGS' }, { name: 'Frank Herbert' }],
      series: [{ name: 'Dune Chronicles', sequence: 'Book 1' }],
      publishedYear: '1965',
      tags: ['sci-fi', ''],
      description: '<p>Spice.</p><script>alert(1)</script>',
      explicit: false,
    });
    expect(patch).toEqual({
      metadata: {
        title: 'Dune',
        subtitle: null,
        authors: [{ name: 'Frank Herbert' }],
        series: [{ name: 'Dune Chronicles', sequence: '1' }],
        publishedYear: '1965',
        description: '<p>Spice.</p>',
        explicit: false,
      },
      tags: ['sci-fi'],
    });
    expect(patch.metadata).not.toHaveProperty('tags'); // ABS ignores metadata.tags
  });

  it('clears listed fields with null / [] (undo of a fill)', () => {
    expect(toAbsPatch({}, { clear: ['subtitle', 'narrators', 'tags'] })).toEqual({
      metadata: { subtitle: null, narrators: [] },
      tags: [],
    });
  });

  it.each([
    [1, '1'],
    ['#2', '2'],
    ['Book 3', '3'],
    ['0.5', '0.5'],
    ['', null],
    [null, null],
  ])('normalizeSequence(%j) → %j', (input, expected) => {
    expect(normalizeSequence(input)).toBe(expected);
  });
});

describe('diffPatch against recorded items (loop hazards of ABS-API.md §7)', () => {
  it('the 30c clean body against the item it produced is an empty diff: no request at all', () => {
    const body = load('requests/30c_patch_media_phm_clean_identical_noop.request.json').body;
    const current = currentAsPatch(item('30c_patch_media_phm_clean_identical_noop'));
    expect(diffPatch(current, body)).toBeNull();
  });

  it('an unsanitised description equals ABS’s sanitised copy once normalised (30b would loop otherwise)', () => {
    const current = currentAsPatch(item('30_patch_media_phm'));
    const desired = toAbsPatch({
      description: load('requests/30_patch_media_phm.request.json').body.metadata.description,
    });
    expect(diffPatch(current, desired)).toBeNull();
  });

  it('"" equals null (33 vs 33e) and case-only author/series renames are not changes', () => {
    const current = currentAsPatch(item('31f_patch_clear_with_empty_string'));
    const desired = toAbsPatch({
      publisher: '',
      authors: [{ name: 'becky chambers' }],
      series: [{ name: 'MONK & ROBOT', sequence: '1' }],
    });
    expect(changedFields(current, desired)).toEqual([]);
  });

  it('a reordered narrators/genres/tags list is a change; an author reorder is not', () => {
    const current = currentAsPatch(item('24_item_final_expanded_wok'));
    const desired = toAbsPatch({
      narrators: ['Kate Reading', 'Michael Kramer'],
      authors: [{ name: 'Brandon Sanderson' }],
      tags: ['batch-updated'],
    });
    expect(changedFields(current, desired)).toEqual(['narrators']);
    expect(diffPatch(current, desired)).toEqual({
      metadata: { narrators: ['Kate Reading', 'Michael Kramer'] },
    });
  });

  it('a changed sequence is a change and the diff carries the full series list', () => {
    const current = currentAsPatch(item('24_item_final_expanded_wok'));
    const desired = toAbsPatch({ series: [{ name: 'The Stormlight Archive', sequence: '1.5' }] });
    expect(diffPatch(current, desired)).toEqual({
      metadata: { series: [{ name: 'The Stormlight Archive', sequence: '1.5' }] },
    });
  });
});
