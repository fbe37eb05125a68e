import type { FieldName, PartialMetadata } from '../domain/metadata.js';
import { sanitizeDescription } from '../formats/html.js';
import type { AbsBookMetadata, AbsLibraryItem } from './schemas.js';
import type { AbsMediaPatch } from './types.js';

/**
 * The exact form ABS stores, so that a PATCH of an unchanged value is a true no-op
 * (ABS-API.md §7): null never "", HTML sanitised with ABS's allow-list, sequences and
 * publishedYear as strings, authors as `{name}` objects, full lists, tags at the top level.
 */
type AbsMeta = NonNullable<AbsMediaPatch['metadata']>;

const STRING_FIELDS = [
  'title',
  'subtitle',
  'publishedYear',
  'publishedDate',
  'publisher',
  'description',
  'isbn',
  'asin',
  'language',
] as const;
type StringField = (typeof STRING_FIELDS)[number];
const LIST_FIELDS = ['narrators', 'genres'] as const;
/** Fields of PartialMetadata that have a place in the PATCH body. */
export const PATCHABLE_FIELDS = [
  ...STRING_FIELDS,
  'authors',
  'series',
  ...LIST_FIELDS,
  'tags',
  'explicit',
  'abridged',
] as const;
export type PatchableField = (typeof PATCHABLE_FIELDS)[number];

function cleanString(key: StringField, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  if (s === '') return null;
  return key === 'description' ? sanitizeCached(s) || null : s;
}

/** sanitize-html costs ~0.1 ms a call and every diff sanitises both sides: remember recent results. */
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

function cleanList(values: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const s = typeof v === 'string' ? v.trim() : '';
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Canonical metadata → the PATCH body ABS stores unchanged. Only fields present in `meta` are
 * sent; fields listed in `clear` are sent empty (null / []), e.g. to undo a fill.
 */
export function toAbsPatch(
  meta: PartialMetadata,
  opts: { clear?: readonly FieldName[] } = {},
): AbsMediaPatch {
  const clear = new Set<string>(opts.clear ?? []);
  const m: AbsMeta = {};
  const has = (k: string) => clear.has(k) || (meta as Record<string, unknown>)[k] !== undefined;
  for (const key of STRING_FIELDS) if (has(key)) m[key] = cleanString(key, meta[key]);
  if (has('authors')) {
    // ABS matches authors by name case-insensitively: "X" and "x" are one author.
    m.authors = uniqueBy(cleanList(meta.authors?.map((a) => a.name)), (n) => n.toLowerCase()).map((name) => ({
      name,
    }));
  }
  if (has('series')) {
    const series = (meta.series ?? [])
      .map((s) => ({ name: s.name.trim(), sequence: normalizeSequence(s.sequence) }))
      .filter((s) => s.name);
    m.series = uniqueBy(series, (s) => s.name.toLowerCase());
  }
  for (const key of LIST_FIELDS) if (has(key)) m[key] = cleanList(meta[key]);
  if (has('explicit')) m.explicit = meta.explicit === true;
  if (has('abridged')) m.abridged = meta.abridged === true;
  const patch: AbsMediaPatch = {};
  if (Object.keys(m).length) patch.metadata = m;
  if (has('tags')) patch.tags = cleanList(meta.tags);
  return patch;
}

/** First occurrence wins. */
function uniqueBy<T>(values: T[], key: (v: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Sequences as ABS keeps them: strings, no "#"/"Book " prefixes, null for empty. */
export function normalizeSequence(seq: unknown): string | null {
  if (seq === undefined || seq === null) return null;
  const s = String(seq)
    .trim()
    .replace(/^(book|vol\.?|volume|#)\s*/i, '');
  return s === '' ? null : s;
}

/** What ABS currently stores for an item (plain/expanded, not minified), as a full PATCH body. */
export function currentAsPatch(item: AbsLibraryItem): AbsMediaPatch {
  const meta: AbsBookMetadata = item.media.metadata;
  const m: AbsMeta = {};
  for (const key of STRING_FIELDS) m[key] = meta[key] ?? null;
  m.authors = (meta.authors ?? []).map((a) => ({ name: a.name }));
  m.series = (meta.series ?? []).map((s) => ({ name: s.name, sequence: s.sequence ?? null }));
  m.narrators = [...(meta.narrators ?? [])];
  m.genres = [...(meta.genres ?? [])];
  m.explicit = meta.explicit ?? false;
  m.abridged = meta.abridged ?? false;
  return { metadata: m, tags: [...(item.media.tags ?? [])] };
}

/**
 * A comparison key per field, following how ABS decides "changed": author and series names
 * case-insensitively and as sets (ABS ignores case-only renames and reorders), sequences as
 * strings; narrators, genres and tags order-sensitively; "" equals null; ids and derived
 * fields (authorName, descriptionPlain…) ignored; descriptions compared after sanitising.
 */
export function normalizeForCompare(patch: AbsMediaPatch): Partial<Record<PatchableField, string>> {
  const out: Partial<Record<PatchableField, string>> = {};
  const m = patch.metadata ?? {};
  for (const key of STRING_FIELDS) if (key in m) out[key] = JSON.stringify(cleanString(key, m[key]));
  if (m.authors) out.authors = JSON.stringify(setKey(m.authors.map((a) => a.name.trim().toLowerCase())));
  if (m.series) {
    out.series = JSON.stringify(
      setKey(m.series.map((s) => `${s.name.trim().toLowerCase()}#${normalizeSequence(s.sequence) ?? ''}`)),
    );
  }
  for (const key of LIST_FIELDS) if (m[key]) out[key] = JSON.stringify(m[key]);
  if (m.explicit !== undefined) out.explicit = String(Boolean(m.explicit));
  if (m.abridged !== undefined) out.abridged = String(Boolean(m.abridged));
  if (patch.tags) out.tags = JSON.stringify(patch.tags);
  return out;
}

const setKey = (values: string[]) => [...new Set(values.filter(Boolean))].sort();

/** The fields of `desired` that differ from `current`, as they would be reported by ABS. */
export function changedFields(current: AbsMediaPatch, desired: AbsMediaPatch): PatchableField[] {
  const a = normalizeForCompare(current);
  const b = normalizeForCompare(desired);
  return (Object.keys(b) as PatchableField[]).filter((k) => a[k] !== b[k]);
}

/**
 * The minimal PATCH: only changed keys of `desired` (already in ABS form). `null` when nothing
 * changed: send no request at all.
 */
export function diffPatch(current: AbsMediaPatch, desired: AbsMediaPatch): AbsMediaPatch | null {
  const changed = new Set<string>(changedFields(current, desired));
  if (changed.size === 0) return null;
  const out: AbsMediaPatch = {};
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(desired.metadata ?? {})) if (changed.has(k)) meta[k] = v;
  if (Object.keys(meta).length) out.metadata = meta as AbsMeta;
  if (changed.has('tags') && desired.tags) out.tags = desired.tags;
  if (desired.url) out.url = desired.url;
  return out;
}

/** True when a media snapshot equals another on every patchable field (echo detection). */
export function sameStoredMetadata(a: AbsLibraryItem, b: AbsLibraryItem): boolean {
  return changedFields(currentAsPatch(a), currentAsPatch(b)).length === 0;
}
