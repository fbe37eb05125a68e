/**
 * The one home of the book identifier rules: every reader (tags, sidecars, providers), the
 * matcher and the cache keys use these, so the same book gets the same identifier everywhere.
 */

/** ABS's ASIN rule: 10 upper-case letters or digits. */
export const ASIN_PATTERN = /^[A-Z0-9]{10}$/;

/** The ASIN trimmed and upper-cased (Audnexus refuses lower case); undefined when not ASIN-shaped. */
export function normalizeAsin(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const asin = value.trim().toUpperCase();
  return ASIN_PATTERN.test(asin) ? asin : undefined;
}

/** Checks an ISBN-10 or ISBN-13 checksum; hyphens and spaces are ignored. */
export function isValidIsbn(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (digits[i] === 'X' ? 10 : Number(digits[i])) * (10 - i);
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  return false;
}

/**
 * An ISBN as written, without a "urn:isbn:"/"ISBN" prefix or separators (a final x upper-cased):
 * "978-0-7653-2635-5" → "9780765326355". Undefined unless it is an ISBN-10 or ISBN-13 with a valid
 * checksum (a wrong check digit is a typo or another number, and finds the wrong book).
 * For values stored in metadata; compare and key with `normalizeIsbn`.
 */
export function cleanIsbn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const isbn = value
    .replace(/^\s*(?:urn:)?isbn(?:-1[03])?[:\s]*/i, '')
    .replace(/[^0-9Xx]/g, '')
    .toUpperCase();
  return isValidIsbn(isbn) ? isbn : undefined;
}

/**
 * The comparable form of an ISBN: `cleanIsbn`, with an ISBN-10 turned into its ISBN-13, so the
 * two spellings of one book compare equal and share a cache key.
 * @example normalizeIsbn('0-7653-2635-3') === normalizeIsbn('978-0-7653-2635-5') // '9780765326355'
 */
export function normalizeIsbn(value: unknown): string | undefined {
  const isbn = cleanIsbn(value);
  if (isbn?.length !== 10) return isbn;
  const core = `978${isbn.slice(0, 9)}`;
  const sum = [...core].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${core}${(10 - (sum % 10)) % 10}`;
}
