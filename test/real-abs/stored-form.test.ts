/**
 * Against the real ABS 2.36: the stored form (src/abs/stored-form.ts) is what ABS stores. A messy
 * desired state put through toAbsValue + buildPatchBody is stored exactly as sent and a repeat is
 * a no-op; the changes the stored form calls "no change" (author/series reorders, case-only
 * renames) are no-ops to ABS too, and the ones it calls changes (a narrator reorder, "Book 2"
 * against "2") are changes to ABS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAbsClient } from '../../src/abs/client.js';
import {
  type AbsValues,
  absValuesOf,
  buildPatchBody,
  sameAbsValue,
  toAbsValue,
  WRITABLE_FIELDS,
  type WritableField,
} from '../../src/abs/stored-form.js';
import type { AbsClient } from '../../src/abs/types.js';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

const messy: Partial<Record<WritableField, unknown>> = {
  title: '  Ancillary Justice ',
  subtitle: '',
  publisher: '',
  publishedYear: 2013,
  description: '<p>Breq <b>was</b> a ship.</p><script>alert(1)</script><iframe src="x"></iframe>',
  authors: [{ name: ' Ann Leckie ' }, { name: 'ann leckie' }, { name: 'Second Writer' }],
  series: [
    { name: 'Imperial Radch', sequence: 1 },
    { name: 'imperial radch', sequence: '9' },
    { name: 'Radch Omnibus', sequence: 'Book 2' },
  ],
  narrators: [' Adjoa Andoh ', 'Adjoa Andoh', 'Celeste Ciulla'],
  genres: ['Science Fiction', '', 'Space Opera'],
  tags: ['stored-form', 'stored-form', ' radch '],
  explicit: 'yes',
  abridged: false,
};

suite('real ABS: the stored form', () => {
  let world: World;
  let abs: AbsClient;
  let itemId: string;
  const stored = async () => {
    const item = await abs.getItem(itemId);
    if (!item) throw new Error('item vanished');
    return absValuesOf(item.media);
  };

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), { name: 'stored-form', books: 1, seed: 71 });
    abs = createAbsClient({ url: world.abs.url, token: world.abs.apiKey });
    const [first] = await world.api.items(world.libraryId);
    if (!first) throw new Error('empty library');
    itemId = first.id;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('stores exactly the values sent, and the same body again is a no-op', async () => {
    const values: AbsValues = {};
    for (const field of WRITABLE_FIELDS) if (field in messy) values[field] = toAbsValue(field, messy[field]);
    const body = buildPatchBody(values);
    expect((await abs.patchMedia(itemId, body)).updated).toBe(true);
    const now = await stored();
    for (const field of Object.keys(values) as WritableField[])
      expect(now[field], field).toEqual(values[field]);
    expect((await abs.patchMedia(itemId, body)).updated).toBe(false);
  });

  it('an author or series reorder and a case-only rename are no-ops to ABS and to the diff', async () => {
    const before = await stored();
    const authors = [...(before.authors as { name: string }[])]
      .reverse()
      .map((a) => ({ name: a.name.toUpperCase() }));
    const series = [...(before.series as { name: string; sequence: string | null }[])].reverse();
    expect(sameAbsValue('authors', before.authors, authors)).toBe(true);
    expect(sameAbsValue('series', before.series, series)).toBe(true);
    expect((await abs.patchMedia(itemId, buildPatchBody({ authors, series }))).updated).toBe(false);
    expect(await stored()).toEqual(before);
  });

  it('a narrator reorder and "2" against a stored "Book 2" are changes to ABS and to the diff', async () => {
    const before = await stored();
    const narrators = [...(before.narrators as string[])].reverse();
    const series = (before.series as { name: string; sequence: string | null }[]).map((s) =>
      s.sequence === 'Book 2' ? { ...s, sequence: '2' } : s,
    );
    expect(sameAbsValue('narrators', before.narrators, narrators)).toBe(false);
    expect(sameAbsValue('series', before.series, series)).toBe(false);
    expect((await abs.patchMedia(itemId, buildPatchBody({ narrators }))).updated).toBe(true);
    expect((await abs.patchMedia(itemId, buildPatchBody({ series }))).updated).toBe(true);
    const after = await stored();
    expect(after.narrators).toEqual(narrators);
    expect(sameAbsValue('series', after.series, series)).toBe(true);
  });
});
