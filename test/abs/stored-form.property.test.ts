import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRecorded, toPlain } from '../../mocks/fake-abs/model.js';
import { applyMediaPatch } from '../../mocks/fake-abs/patch.js';
import { loadRecordedItem } from '../../mocks/fake-abs/seed.js';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';
import {
  type AbsValues,
  absValuesOf,
  buildPatchBody,
  sameAbsValue,
  toAbsValue,
  WRITABLE_FIELDS,
} from '../../src/abs/stored-form.js';
import type { PartialMetadata } from '../../src/domain/metadata.js';

/**
 * The loop-safety property, on the code the bridge runs: whatever canonical metadata the bridge
 * computes, PATCHing buildPatchBody(toAbsValue(m)) into ABS (the fake's exact PATCH semantics, held
 * to the real server by test/real-abs/fidelity.test.ts and stored-form.test.ts) stores exactly those
 * values, the diff against the stored item is empty and sending the same body again is an ABS no-op.
 * A failure here is a PATCH loop.
 */
const text = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'Dune',
    'dune',
    'A & B',
    '<b>bold</b>',
    '<p>x</p><script>y</script>',
    'Ünïcödé — “quotes”',
  ),
  fc.string({ maxLength: 12 }),
);
const name = fc.oneof(
  fc.constantFrom('Frank Herbert', 'frank herbert', ' Ann Leckie ', 'X'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const meta: fc.Arbitrary<PartialMetadata> = fc.record(
  {
    title: text,
    subtitle: text,
    description: text,
    publisher: text,
    publishedYear: fc.constantFrom('1965', '2021', ''),
    isbn: text,
    asin: text,
    language: text,
    authors: fc.array(fc.record({ name }), { maxLength: 3 }),
    narrators: fc.array(name, { maxLength: 3 }),
    genres: fc.array(name, { maxLength: 3 }),
    tags: fc.array(name, { maxLength: 3 }),
    series: fc.array(fc.record({ name, sequence: fc.constantFrom('1', 'Book 2', '#3', '0.5', '', null) }), {
      maxLength: 2,
    }),
    explicit: fc.boolean(),
    abridged: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** The ABS form of every field `m` carries (what the bridge plans to write). */
function desiredValues(m: PartialMetadata): AbsValues {
  const out: AbsValues = {};
  for (const field of WRITABLE_FIELDS) if (m[field] !== undefined) out[field] = toAbsValue(field, m[field]);
  return out;
}

const seed = loadRecordedItem('20b_item_get_expanded_phm.json');
let n = 0;
const ids = { authorId: () => `a${n++}`, seriesId: () => `s${n++}` };

describe('the stored form is a fixed point of ABS PATCH semantics', () => {
  it('PATCH once: ABS stores exactly the values sent, the diff is empty and a repeat is a no-op', () => {
    fc.assert(
      fc.property(meta, (m) => {
        const item = fromRecorded(toPlain(seed));
        const values = desiredValues(m);
        const body = buildPatchBody(values) as Record<string, unknown>;
        applyMediaPatch(item, body, ids);
        const stored = absValuesOf(AbsLibraryItemSchema.parse(toPlain(item)).media);
        for (const [field, value] of Object.entries(values) as [keyof AbsValues, unknown][]) {
          expect(sameAbsValue(field, stored[field], value), field).toBe(true);
          if (field !== 'authors' && field !== 'series') expect(stored[field], field).toEqual(value);
        }
        expect(applyMediaPatch(item, structuredClone(body), ids)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('a reorder of authors or series is no change to the diff and no change to ABS', () => {
    fc.assert(
      fc.property(meta, (m) => {
        const item = fromRecorded(toPlain(seed));
        const values = desiredValues({ authors: m.authors ?? [], series: m.series ?? [] });
        applyMediaPatch(item, buildPatchBody(values) as Record<string, unknown>, ids);
        const reversed: AbsValues = {
          authors: [...(values.authors as { name: string }[])].reverse(),
          series: [...(values.series as { name: string }[])].reverse(),
        };
        const stored = absValuesOf(AbsLibraryItemSchema.parse(toPlain(item)).media);
        expect(sameAbsValue('authors', stored.authors, reversed.authors)).toBe(true);
        expect(sameAbsValue('series', stored.series, reversed.series)).toBe(true);
        expect(applyMediaPatch(item, buildPatchBody(reversed) as Record<string, unknown>, ids)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
