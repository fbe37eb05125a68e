import fc from 'fast-check';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';

const RTL = ['שלום עולם', 'مرحبا بالعالم', 'عربي English mix', '\u200Fמימין\u200E'];
const HTML = [
  '<p>Para <b>bold</b> &amp; <i>it</i></p>',
  '<p>ok</p><script>alert(1)</script>',
  '<a href="javascript:x">bad</a><a href="https://x.y/?a=1&b=2">good</a>',
  '<div><ul><li>one<li>two</ul></div>',
  '<iframe src=x></iframe>',
  'a < b && c > d',
];

/** Strings people and providers really send: unicode, emoji, RTL, markup, whitespace, empty, very long. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...RTL, ...HTML, '', '   ', '🎧📚👩🏽‍🚀', ' padded ', 'line\nbreak\r\nx'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 300, maxLength: 3000 }) },
);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A series sequence ABS can carry in "Name #seq": no whitespace, no '#'. */
const sequence = fc.option(fc.stringMatching(/^[0-9A-Za-z.-]{1,6}$/), { nil: null });
/** Series names that are not themselves "Something #token" (that text is ambiguous in ABS's format). */
const seriesName = anyText.filter((s) => s.trim() === s && s.length > 0 && !/ #[^#\s]+$/.test(s));

/** Canonical records with every field a format might carry, each field present or absent. */
export const canonicalRecord: fc.Arbitrary<CanonicalMetadata> = fc
  .record({
    title: optional(anyText),
    subtitle: optional(anyText),
    authors: optional(fc.array(fc.record({ name: anyText.filter((s) => s.length > 0) }), { maxLength: 4 })),
    narrators: optional(
      fc.array(
        anyText.filter((s) => s.length > 0),
        { maxLength: 4 },
      ),
    ),
    series: optional(fc.array(fc.record({ name: seriesName, sequence }), { maxLength: 3 })),
    genres: optional(
      fc.array(
        anyText.filter((s) => s.length > 0),
        { maxLength: 4 },
      ),
    ),
    tags: optional(
      fc.array(
        anyText.filter((s) => s.length > 0),
        { maxLength: 4 },
      ),
    ),
    description: optional(anyText),
    publisher: optional(anyText),
    publishedYear: optional(fc.stringMatching(/^[12][0-9]{3}$/)),
    publishedDate: optional(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
    language: optional(fc.constantFrom('English', 'Deutsch', 'eng', '日本語', 'עברית')),
    isbn: optional(fc.stringMatching(/^97[89][0-9]{10}$/)),
    asin: optional(fc.stringMatching(/^B0[0-9A-Z]{8}$/)),
    explicit: optional(fc.boolean()),
    abridged: optional(fc.boolean()),
    rating: optional(fc.integer({ min: 0, max: 10 }).map((n) => n / 2)),
    chapters: optional(
      fc.array(
        fc.record({
          start: fc.double({ min: 0, max: 1e6, noNaN: true }),
          end: fc.double({ min: 0, max: 1e6, noNaN: true }),
          title: anyText,
        }),
        { maxLength: 5 },
      ),
    ),
  })
  .map((r) => {
    const out = { ...r, customFields: {} } as CanonicalMetadata;
    for (const key of Object.keys(out) as (keyof CanonicalMetadata)[])
      if (out[key] === undefined) delete out[key];
    return out;
  });
