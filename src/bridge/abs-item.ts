import { createHash } from 'node:crypto';
import { FIELD_NAMES, type FieldName, hasValue, type PartialMetadata } from '../domain/metadata.js';
import { sanitizeDescription } from '../formats/html.js';
import type { AbsMedia } from './ports.js';

/**
 * Pure mapping between ABS's stored media and the values the bridge compares and writes.
 * Every value here is in "ABS form": exactly what ABS stores after a PATCH (ABS-API.md §7.2),
 * so comparing with it never reports a change ABS would not make.
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

const cleanList = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .map((x) => str(typeof x === 'string' ? x : (x as { name?: unknown })?.name))
        .filter((x): x is string => x !== null)
    : [];

/** Converts a canonical (or ABS) value of `field` to the form ABS stores. */
export function toAbsValue(field: WritableField, value: unknown): AbsValue {
  switch (field) {
    case 'authors':
      return cleanList(value).map((name) => ({ name }));
    case 'series':
      return (Array.isArray(value) ? value : [])
        .map((s: { name?: unknown; sequence?: unknown }) => ({
          name: str(s?.name),
          sequence: str(s?.sequence),
        }))
        .filter((s): s is { name: string; sequence: string | null } => s.name !== null);
    case 'narrators':
    case 'genres':
    case 'tags':
      return cleanList(value);
    case 'explicit':
    case 'abridged':
      return Boolean(value);
    case 'description': {
      const s = str(value);
      return s === null ? null : str(sanitizeDescription(s));
    }
    default:
      return str(value);
  }
}

/** ABS's current values for every writable field, in ABS form. */
export function absValuesOf(media: AbsMedia): Record<WritableField, AbsValue> {
  const m = media.metadata as Record<string, unknown>;
  const out = {} as Record<WritableField, AbsValue>;
  for (const field of WRITABLE_FIELDS) {
    out[field] = toAbsValue(field, field === 'tags' ? (media.tags ?? []) : m[field]);
  }
  return out;
}

/**
 * The comparison key ABS itself uses: author and series names case-insensitively (a case-only
 * rename is not applied), string lists order-sensitively, null equal to empty.
 */
export function compareKey(field: WritableField, value: unknown): string {
  const v = toAbsValue(field, value);
  if (field === 'authors') return JSON.stringify((v as { name: string }[]).map((a) => a.name.toLowerCase()));
  if (field === 'series')
    return JSON.stringify(
      (v as { name: string; sequence: string | null }[]).map((s) => [s.name.toLowerCase(), s.sequence]),
    );
  return JSON.stringify(v);
}

export function sameAbsValue(field: WritableField, a: unknown, b: unknown): boolean {
  return compareKey(field, a) === compareKey(field, b);
}

/**
 * One short string standing for an item's metadata + tags; equal strings mean "nothing changed".
 * A digest of the normalised values, not the values: it is stored in every item record and held
 * in memory for every recent push (a long description made each several KB).
 */
export function snapshotKey(media: AbsMedia): string {
  const values = absValuesOf(media);
  const joined = WRITABLE_FIELDS.map((f) => compareKey(f, values[f])).join('\u0001');
  return createHash('sha1').update(joined).digest('base64url');
}

/** ABS's media as canonical metadata (what providers and the diff see as "current"). */
export function absToCanonical(media: AbsMedia): PartialMetadata {
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
