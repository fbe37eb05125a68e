import sanitizeHtml from 'sanitize-html';

/**
 * ABS 2.36's description allow-list (`server/utils/htmlSanitizer.js`, `sanitize()`), which it applies to
 * every description it stores. ABS ships a vendored, trimmed copy of sanitize-html; the newer 2.16 we use
 * differs in one observable way for this allow-list: it drops empty "non-boolean" attributes
 * (`<a href="">` → `<a>`), where ABS keeps a bare ` href`. `nonBooleanAttributes: []` switches that off,
 * so the output is byte-identical to what ABS stores (checked against ABS's own code in
 * test/formats/html.test.ts).
 */
const ABS_DESCRIPTION_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'ol', 'ul', 'li', 'a', 'strong', 'em', 'del', 'br', 'b', 'i'],
  disallowedTagsMode: 'discard',
  allowedAttributes: { a: ['href', 'name', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  nonBooleanAttributes: [],
  // ABS's vendored copy never parses style attributes (it deletes them); ours would need postcss.
  parseStyleAttributes: false,
};

const STRIP_ALL_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [],
  disallowedTagsMode: 'discard',
  nonBooleanAttributes: [],
  parseStyleAttributes: false,
};

/**
 * Sanitises a description exactly as ABS does before storing it, so a value we PATCH or write into
 * metadata.json is byte-identical to what ABS keeps (otherwise every write looks like a change and the
 * bridge loops). Idempotent: `sanitizeDescription(sanitizeDescription(x)) === sanitizeDescription(x)`.
 * @example sanitizeDescription('<p>Hi</p><iframe src=x></iframe>') // '<p>Hi</p>'
 */
export function sanitizeDescription(html: string): string {
  const known = sanitized.get(html);
  if (known !== undefined) return known;
  const out = sanitizeHtml(html, ABS_DESCRIPTION_OPTIONS);
  if (sanitized.size >= SANITIZED_LIMIT) sanitized.delete(sanitized.keys().next().value as string);
  sanitized.set(html, out);
  return out;
}

/**
 * Recent sanitiser results. The function is pure and one item's description passes through it
 * several times per pipeline run (current values, snapshot keys before and after the PATCH,
 * sidecars), which made sanitize-html a top CPU cost of a backfill. Bounded, oldest out first.
 */
const SANITIZED_LIMIT = 512;
const sanitized = new Map<string, string>();

/**
 * Plain text of an HTML description (tags removed, entities decoded), as ABS derives
 * `descriptionPlain`. Used by formats that have no HTML (NFO plot, CUE, Markdown).
 */
export function htmlToPlainText(html: string): string {
  const stripped = sanitizeHtml(
    // Keep paragraph and list-item boundaries readable as line breaks.
    html.replace(/<\/(p|li|div)>|<br\s*\/?>/gi, (m) => `${m}\n`),
    STRIP_ALL_OPTIONS,
  );
  return decodeEntities(stripped)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the entities sanitize-html produces (named basics and numeric references). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
