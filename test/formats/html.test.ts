import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToPlainText, sanitizeDescription } from '../../src/formats/html.js';

interface ReferenceCase {
  input: string;
  abs: string;
}
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/exporters/html-abs-reference.json', import.meta.url), 'utf8'),
) as { cases: ReferenceCase[] };

describe('sanitizeDescription', () => {
  // Outputs recorded by running ABS 2.36.0's own htmlSanitizer.sanitize() on each input.
  it.each(reference.cases)('matches ABS byte for byte: $input', ({ input, abs }) => {
    expect(sanitizeDescription(input)).toBe(abs);
  });

  it('keeps what ABS stored for the real PATCH fixtures', () => {
    expect(sanitizeDescription('<p>A tea monk.</p><iframe src=x></iframe>')).toBe('<p>A tea monk.</p>');
    expect(sanitizeDescription('<p>From the custom provider. <b>Bold</b></p>')).toBe(
      '<p>From the custom provider. <b>Bold</b></p>',
    );
  });

  it('is idempotent, so a value ABS echoes back never looks like a change', () => {
    const htmlish = fc.stringMatching(
      /^(<\/?(p|b|i|a|em|div|script)( href="[^"]*")?>|[a-z &<>"';#0-9]){0,30}$/,
    );
    fc.assert(
      fc.property(fc.oneof(htmlish, fc.string()), (input) => {
        const once = sanitizeDescription(input);
        expect(sanitizeDescription(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('htmlToPlainText', () => {
  it('drops tags, keeps paragraph breaks and decodes entities', () => {
    expect(htmlToPlainText('<p>Tom &amp; Jerry</p><p>Second <b>bold</b></p>')).toBe(
      'Tom & Jerry\nSecond bold',
    );
  });
  it('decodes numeric entities including astral code points', () => {
    expect(decodeEntities('&#169;&#x1F600;&bogus;')).toBe('©😀&bogus;');
  });
});
