import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRecorded, toPlain } from '../../mocks/fake-abs/model.js';
import { applyMediaPatch } from '../../mocks/fake-abs/patch.js';
import { loadRecordedItem } from '../../mocks/fake-abs/seed.js';
import { currentAsPatch, diffPatch, toAbsPatch } from '../../src/abs/normalize.js';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';
import type { PartialMetadata } from '../../src/domain/metadata.js';

/**
 * The loop-safety property: whatever canonical metadata the bridge computes, PATCHing
 * toAbsPatch(m) into ABS (the fake's exact PATCH semantics) and diffing again gives NOTHING to
 * send, and sending the same body again is an ABS no-op. A failure here is a PATCH loop.
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

describe('toAbsPatch is a fixed point of ABS PATCH semantics', () => {
  it('PATCH once, then the diff is empty and a repeat PATCH is a no-op', () => {
    const seed = loadRecordedItem('20b_item_get_expanded_phm.json');
    let n = 0;
    const ids = { authorId: () => `a${n++}`, seriesId: () => `s${n++}` };
    fc.assert(
      fc.property(meta, (m) => {
        const item = fromRecorded(toPlain(seed));
        const body = toAbsPatch(m) as Record<string, unknown>;
        applyMediaPatch(item, body, ids);
        const stored = AbsLibraryItemSchema.parse(toPlain(item));
        expect(diffPatch(currentAsPatch(stored), toAbsPatch(m))).toBeNull();
        expect(applyMediaPatch(item, structuredClone(body), ids)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
