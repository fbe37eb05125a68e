import { createHash } from 'node:crypto';
import { FIELD_NAMES, type FieldName, hasValue, type PartialMetadata } from '../domain/metadata.js';
import { uniqueBy } from '../domain/unique.js';
import { sanitizeDescription } from '../formats/html.js';
import type { AbsBookMedia } from './schemas.js';
import type { AbsMediaPatch } from './types.js';

/**
 * The one place that knows how ABS 2.36 stores each value (ABS-API.md §5 PATCH, §7.2), so that the
 * diff, the PATCH body and the echo filter agree with ABS and a PATCH of an unchanged value never
 * happens. What ABS does (`Book.updateFromRequest`, `updateAuthorsFromRequest`,
 * `updateSeriesFromRequest`):
 * - strings: numbers are stringified, `""` becomes null (but counts as a change every time), a
 *   description is sanitised with ABS's allow-list (unsanitised HTML counts as a change every time);
 * - authors and series are matched by name case-insensitively and kept in the order they were first
 *   linked: a case-only rename and a reorder are silently not applied, so they are compared as sets
 *   of lower-cased names (series with their sequence, a string or null, taken verbatim);
 * - two authors whose names differ only in case in one PATCH make ABS insert the same book-author
 *   row twice (its unique-constraint crash), so the body never carries duplicates;
 * - narrators, genres and tags are stored verbatim and compared as exact JSON: a reorder is a change.
 * The bridge additionally trims strings and drops blanks and duplicates before sending; ABS stores
 * what it is sent, so the form below is a fixed point (test/abs/stored-form.property.test.ts).
 */

/** Canonical fields PATCH /media does not carry (chapters and cover have their own calls). */
const NOT_PATCHED = ['durationSeconds', 'chapters', 'cover', 'rating'] as const;
export type WritableField = Exclude<FieldName, (typeof NOT_PATCHED)[number]>;
/** Fields the bridge writes through PATCH /media, in canonical order. */
export const WRITABLE_FIELDS: readonly WritableField[] = FIELD_NAMES.filter(
  (f): f is WritableField => !(NOT_PATCHED as readonly string[]).includes(f),
);

/** A value as ABS stores it: string|null, string[], {name}[], {name,sequence}[], boolean. */
export type AbsValue = string | null | boolean | string[] | { name: string; sequence?: string | null }[];
export type AbsValues = Partial<Record<WritableField, AbsValue>>;

function str(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  return s.length > 0 ? s : null;
}

/** Trimmed strings (or `{name}` entries' names), blanks dropped. */
const cleanList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .map((x) => str(typeof x === 'string' ? x : (x as { name?: unknown })?.name))
        .filter((x): x is string => x !== null)
    : [];

const lower = (s: string) => s.toLowerCase();

/** sanitize-html costs ~0.1 ms a call and every echo check sanitises: remember recent results. */
const sanitized = new Map<string, string>();
function sanitizeCached(html: string): string {
  let out = sanitized.get(html);
  if (out === undefined) {
    out = sanitizeDescription(html);
    if (sanitized.size >= 2000) sanitized.delete(sanitized.keys().next().value as string);
    sanitized.set(html, out);
  }
  return out;
}

/** Converts a canonical (or ABS) value of `field` to the form ABS stores. */
export function toAbsValue(field: WritableField, value: unknown): AbsValue {
  switch (field) {
    case 'authors':
      return uniqueBy(cleanList(value), lower).map((name) => ({ name }));
    case 'series':
      return uniqueBy(
        (Array.isArray(value) ? value : [])
          .map((s: { name?: unknown; sequence?: unknown }) => ({
            name: str(s?.name),
            sequence: str(s?.sequence),
          }))
          .filter((s): s is { name: string; sequence: string | null } => s.name !== null),
        (s) => lower(s.name),
      );
    case 'narrators':
    case 'genres':
    case 'tags':
      return [...new Set(cleanList(value))];
    case 'explicit':
    case 'abridged':
      return Boolean(value);
    case 'description': {
      const s = str(value);
      return s === null ? null : str(sanitizeCached(s));
    }
    default:
      return str(value);
  }
}

/** ABS's current values for every writable field, in ABS form. */
export function absValuesOf(media: AbsBookMedia): Record<WritableField, AbsValue> {
  const m = media.metadata as Record<string, unknown>;
  const out = {} as Record<WritableField, AbsValue>;
  for (const field of WRITABLE_FIELDS) {
    out[field] = toAbsValue(field, field === 'tags' ? (media.tags ?? []) : m[field]);
  }
  return out;
}

const sortedJson = (keys: unknown[]) => JSON.stringify(keys.map((k) => JSON.stringify(k)).sort());

/**
 * The comparison key ABS itself uses: author and series names as case-insensitive sets (a
 * case-only rename or a reorder is not applied), series sequences verbatim, string lists
 * order-sensitively, null equal to empty.
 */
export function compareKey(field: WritableField, value: unknown): string {
  const v = toAbsValue(field, value);
  if (field === 'authors') return sortedJson((v as { name: string }[]).map((a) => lower(a.name)));
  if (field === 'series')
    return sortedJson(
      (v as { name: string; sequence: string | null }[]).map((s) => [lower(s.name), s.sequence]),
    );
  return JSON.stringify(v);
}

export function sameAbsValue(field: WritableField, a: unknown, b: unknown): boolean {
  return compareKey(field, a) === compareKey(field, b);
}

/**
 * One short string standing for an item's metadata + tags; equal strings mean "nothing changed"
 * (the echo filter). A digest of the compare keys, not the values: it is stored in every item
 * record and held in memory for every recent push (a long description made each several KB).
 */
export function snapshotKey(media: AbsBookMedia): string {
  const values = absValuesOf(media);
  const joined = WRITABLE_FIELDS.map((f) => compareKey(f, values[f])).join('\u0001');
  return createHash('sha1').update(joined).digest('base64url');
}

/** ABS's media as canonical metadata (what providers and the diff see as "current"). */
export function absToCanonical(media: AbsBookMedia): PartialMetadata {
  const v = absValuesOf(media);
  const out: Record<string, unknown> = {};
  for (const field of WRITABLE_FIELDS) {
    const value = v[field];
    if (field === 'explicit' || field === 'abridged') {
      if (media.metadata[field] !== undefined && media.metadata[field] !== null) out[field] = value;
    } else if (hasValue(value)) out[field] = value;
  }
  if (media.duration) out.durationSeconds = media.duration;
  if (media.chapters && media.chapters.length > 0)
    out.chapters = media.chapters.map((c) => ({ start: c.start, end: c.end, title: c.title }));
  return out as PartialMetadata;
}

/**
 * The PATCH body for a set of ABS-form values: metadata keys, `tags` at the top level (ABS ignores
 * `metadata.tags`), authors as `{name}` objects (strings remove every author), series sequences as
 * a string or null (a number is stored as null) and the full lists (ABS replaces arrays). Values
 * go through `toAbsValue` again, so a body never carries a value ABS would store differently.
 */
export function buildPatchBody(values: AbsValues): AbsMediaPatch {
  const body: AbsMediaPatch = {};
  for (const [field, raw] of Object.entries(values) as [WritableField, AbsValue][]) {
    const value = toAbsValue(field, raw);
    if (field === 'tags') body.tags = value as string[];
    else {
      body.metadata ??= {};
      const metadata: Record<string, unknown> = body.metadata;
      metadata[field] =
        field === 'series'
          ? (value as { name: string; sequence?: string | null }[]).map((s) => ({
              name: s.name,
              sequence: s.sequence ?? null,
            }))
          : value;
    }
  }
  return body;
}

/** Whether ABS's media holds every value a PATCH body carries, as ABS compares them. */
export function holdsPatch(media: AbsBookMedia, body: AbsMediaPatch): boolean {
  const now = absValuesOf(media);
  const sent: [WritableField, unknown][] = [
    ...(Object.entries(body.metadata ?? {}) as [WritableField, unknown][]),
    ...(body.tags === undefined ? [] : [['tags', body.tags] as [WritableField, unknown]]),
  ];
  return sent.every(([field, value]) => !(field in now) || sameAbsValue(field, now[field], value));
}

export function isEmptyPatch(body: AbsMediaPatch): boolean {
  return body.tags === undefined && body.metadata === undefined;
}
