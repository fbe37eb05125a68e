import { sanitizeDescription } from '../../src/formats/html.js';
import type { FakeChapter, FakeItem, FakeMetadata } from './model.js';

/**
 * `PATCH /api/items/:id/media` exactly as ABS 2.36 applies it (`Book.updateFromRequest`,
 * `updateAuthorsFromRequest`, `updateSeriesFromRequest`), traps included:
 * - numbers are stringified, `""` is stored as null but still counts as a change;
 * - the description is compared RAW and stored sanitised, so unsanitised HTML is a change every time;
 * - `metadata.tags` is ignored (tags are top level); non-string arrays are ignored;
 * - authors are matched by trimmed name case-insensitively; string entries are dropped, so
 *   `authors: ["Name"]` removes every author;
 * - a series entry whose sequence is not a string gets `null`; one without a string name voids the list;
 * - narrators, genres and tags are compared as exact JSON (a reorder is a change).
 */

/** Gives ids to names, creating entities as ABS does. */
export interface EntityIds {
  authorId(name: string): string;
  seriesId(name: string): string;
}

const STRING_KEYS = [
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

type Body = Record<string, unknown>;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Applies the body in place; returns true when ABS would report `updated:true`. */
export function applyMediaPatch(item: FakeItem, body: Body, ids: EntityIds): boolean {
  const media = item.media;
  let changed = false;
  const metadata = body.metadata;
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    changed = applyMetadata(media.metadata, metadata as Body, ids) || changed;
  }
  if (isStringArray(body.tags) && JSON.stringify(media.tags) !== JSON.stringify(body.tags)) {
    media.tags = [...body.tags];
    changed = true;
  }
  if (Array.isArray(body.chapters) && body.chapters.every((c) => c && typeof c === 'object')) {
    const next = toChapters(body.chapters as Body[]);
    if (next && !sameChapters(media.chapters, next)) {
      media.chapters = next;
      changed = true;
    }
  }
  return changed;
}

function applyMetadata(meta: FakeMetadata, patch: Body, ids: EntityIds): boolean {
  let changed = false;
  for (const key of STRING_KEYS) {
    let value = patch[key];
    if (typeof value === 'number') value = String(value);
    if ((typeof value === 'string' || value === null) && meta[key] !== value) {
      meta[key] = value ? (key === 'description' ? sanitizeDescription(value) : value) : null;
      changed = true;
    }
  }
  for (const key of ['explicit', 'abridged'] as const) {
    if (patch[key] !== undefined && meta[key] !== Boolean(patch[key])) {
      meta[key] = Boolean(patch[key]);
      changed = true;
    }
  }
  for (const key of ['narrators', 'genres'] as const) {
    const value = patch[key];
    if (isStringArray(value) && JSON.stringify(meta[key]) !== JSON.stringify(value)) {
      meta[key] = [...value];
      changed = true;
    }
  }
  if (Array.isArray(patch.authors)) changed = applyAuthors(meta, patch.authors, ids) || changed;
  if (Array.isArray(patch.series)) changed = applySeries(meta, patch.series, ids) || changed;
  return changed;
}

function applyAuthors(meta: FakeMetadata, authors: unknown[], ids: EntityIds): boolean {
  const names: string[] = [];
  for (const a of authors) {
    const name = (a as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !name.trim()) continue;
    const clean = name.trim();
    if (!names.some((n) => n.toLowerCase() === clean.toLowerCase())) names.push(clean);
  }
  const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
  const kept = meta.authors.filter((a) => names.some((n) => same(n, a.name)));
  const added = names.filter((n) => !meta.authors.some((a) => same(a.name, n)));
  if (kept.length === meta.authors.length && added.length === 0) return false;
  meta.authors = [...kept, ...added.map((name) => ({ id: ids.authorId(name), name }))];
  return true;
}

function applySeries(meta: FakeMetadata, series: unknown[], ids: EntityIds): boolean {
  const wanted: { name: string; sequence: string | null }[] = [];
  for (const s of series) {
    const entry = s as { name?: unknown; sequence?: unknown } | null;
    if (typeof entry?.name !== 'string') return false; // ABS ignores the whole list
    const name = entry.name.trim();
    if (!name) continue;
    wanted.push({
      name,
      sequence: typeof entry.sequence === 'string' && entry.sequence ? entry.sequence : null,
    });
  }
  const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
  let changed = meta.series.length !== wanted.length;
  const next = wanted.map((w) => {
    const existing = meta.series.find((s) => same(s.name, w.name));
    if (!existing) {
      changed = true;
      return { id: ids.seriesId(w.name), name: w.name, sequence: w.sequence };
    }
    if (existing.sequence !== w.sequence) changed = true;
    return { ...existing, sequence: w.sequence };
  });
  if (!changed && meta.series.some((s) => !wanted.some((w) => same(w.name, s.name)))) changed = true;
  if (changed) meta.series = next;
  return changed;
}

/** `POST /chapters` and legacy PATCH chapters: null when any entry is malformed (ABS answers 400). */
export function toChapters(input: Body[]): FakeChapter[] | null {
  const out: FakeChapter[] = [];
  for (const [i, c] of input.entries()) {
    if (typeof c.start !== 'number' || typeof c.end !== 'number' || typeof c.title !== 'string') return null;
    out.push({ id: i, start: c.start, end: c.end, title: c.title });
  }
  return out;
}

/** Chapter lists compared on start/end/title (stored key order varies between ABS code paths). */
export function sameChapters(a: FakeChapter[], b: FakeChapter[]): boolean {
  const key = (list: FakeChapter[]) => JSON.stringify(list.map((c) => [c.start, c.end, c.title]));
  return key(a) === key(b);
}

/** metadata.json (ABS's format) → a PATCH body, skipping null and empty values. */
export function sidecarToPatch(doc: Record<string, unknown>): Body {
  const metadata: Body = {};
  for (const key of STRING_KEYS) if (typeof doc[key] === 'string' && doc[key]) metadata[key] = doc[key];
  for (const key of ['explicit', 'abridged']) if (typeof doc[key] === 'boolean') metadata[key] = doc[key];
  for (const key of ['narrators', 'genres'])
    if (isStringArray(doc[key]) && doc[key].length) metadata[key] = doc[key];
  if (isStringArray(doc.authors) && doc.authors.length)
    metadata.authors = doc.authors.map((name) => ({ name }));
  if (isStringArray(doc.series) && doc.series.length) {
    metadata.series = doc.series.map((s) => {
      const m = /^(.*?) #([^#]+)$/.exec(s);
      return m ? { name: m[1], sequence: m[2] } : { name: s, sequence: null };
    });
  }
  const body: Body = { metadata };
  if (isStringArray(doc.tags) && doc.tags.length) body.tags = doc.tags;
  if (Array.isArray(doc.chapters) && doc.chapters.length) body.chapters = doc.chapters;
  return body;
}
