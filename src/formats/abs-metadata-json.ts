import { z } from 'zod';
import type { CanonicalMetadata, Chapter, PartialMetadata, SeriesEntry } from '../domain/metadata.js';
import { hasValue } from '../domain/metadata.js';
import { ValidationError } from '../errors.js';
import { sanitizeDescription } from './html.js';

/**
 * The keys ABS 2.36 writes into a book's metadata.json, in its order
 * (`LibraryItem.saveMetadataFile`). ABS rewrites the whole file with exactly these keys.
 */
export const ABS_METADATA_JSON_KEYS = [
  'tags',
  'chapters',
  'title',
  'subtitle',
  'authors',
  'narrators',
  'series',
  'genres',
  'publishedYear',
  'publishedDate',
  'publisher',
  'description',
  'isbn',
  'asin',
  'language',
  'explicit',
  'abridged',
] as const;

/** ABS's series string: `"Name #seq"`, or `"Name"` when there is no sequence. */
export function formatAbsSeries(entry: SeriesEntry): string {
  return entry.sequence ? `${entry.name} #${entry.sequence}` : entry.name;
}

/** Inverse of formatAbsSeries, with ABS's own rule: the sequence is the non-space, non-# run after a final " #". */
export function parseAbsSeries(text: string): SeriesEntry {
  const match = / #([^#\s]+)$/.exec(text);
  if (!match?.[1]) return { name: text, sequence: null };
  return { name: text.slice(0, match.index), sequence: match[1] };
}

/** List entries as ABS reads them back: trimmed, blank ones dropped, duplicates removed. */
function cleanList(values: string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
}

function cleanSeriesList(series: SeriesEntry[] | undefined): string[] {
  return cleanList((series ?? []).map((s) => formatAbsSeries({ name: s.name.trim(), sequence: s.sequence })));
}

function stringOrNull(value: string | undefined): string | null {
  return value !== undefined && hasValue(value) ? value : null;
}

/**
 * Renders canonical metadata as the metadata.json ABS itself would write for it: same keys, same
 * order, `null` for absent strings, `[]` for absent lists, list entries cleaned the way ABS reads them
 * (trimmed, blank and duplicate ones dropped), description sanitised with ABS's allow-list,
 * chapters numbered from 0, 2-space indent and no trailing newline. When ABS rewrites the file after a
 * PATCH of the same values, the bytes do not change.
 */
export function buildAbsMetadataJson(metadata: CanonicalMetadata | PartialMetadata): string {
  // A description that sanitises to nothing is absent: ABS stores null for it, never "".
  const description = stringOrNull(sanitizeDescription(metadata.description ?? ''));
  const doc = {
    tags: cleanList(metadata.tags),
    chapters: (metadata.chapters ?? []).map((c, id) => ({ start: c.start, end: c.end, title: c.title, id })),
    title: stringOrNull(metadata.title),
    subtitle: stringOrNull(metadata.subtitle),
    authors: cleanList(metadata.authors?.map((a) => a.name)),
    narrators: cleanList(metadata.narrators),
    series: cleanSeriesList(metadata.series),
    genres: cleanList(metadata.genres),
    publishedYear: stringOrNull(metadata.publishedYear),
    publishedDate: stringOrNull(metadata.publishedDate),
    publisher: stringOrNull(metadata.publisher),
    description,
    isbn: stringOrNull(metadata.isbn),
    asin: stringOrNull(metadata.asin),
    language: stringOrNull(metadata.language),
    explicit: !!metadata.explicit,
    abridged: !!metadata.abridged,
  };
  return JSON.stringify(doc, null, 2);
}

const nullableString = z.string().nullish();
const nameList = z.array(z.union([z.string(), z.object({ name: z.string() }).loose()]).nullable()).nullish();
const seriesList = z
  .array(
    z
      .union([
        z.string(),
        z.object({ name: z.string(), sequence: z.union([z.string(), z.number()]).nullish() }).loose(),
      ])
      .nullable(),
  )
  .nullish();
/** ABS accepts numbers and numeric strings for chapter times (it checks `isNaN`), never null. */
const chapterTime = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/)
    .transform(Number),
]);
const ChapterInput = z.object({ start: chapterTime, end: chapterTime, title: z.string() }).loose();

/** Book fields as ABS (2.x, and the older `{metadata:{…}}` nesting) writes them; extra keys are ignored. */
const AbsBookFieldsSchema = z
  .object({
    title: nullableString,
    subtitle: nullableString,
    authors: nameList,
    narrators: nameList,
    series: seriesList,
    genres: nameList,
    tags: nameList,
    chapters: z.array(ChapterInput).nullish(),
    publishedYear: z.union([z.string(), z.number()]).nullish(),
    publishedDate: nullableString,
    publisher: nullableString,
    description: nullableString,
    isbn: nullableString,
    asin: nullableString,
    language: nullableString,
    explicit: z.boolean().nullish(),
    abridged: z.boolean().nullish(),
  })
  .loose();
type AbsBookFields = z.infer<typeof AbsBookFieldsSchema>;

/** Trimmed, de-duplicated, non-empty names, as ABS cleans lists when it reads the file. */
function cleanNames(list: AbsBookFields['authors']): string[] | undefined {
  if (!list) return undefined;
  const names = list
    .map((v) => (typeof v === 'string' ? v : v?.name)?.trim())
    .filter((v): v is string => !!v);
  const unique = [...new Set(names)];
  return unique.length ? unique : undefined;
}

function cleanSeries(list: AbsBookFields['series']): SeriesEntry[] | undefined {
  if (!list) return undefined;
  const entries: SeriesEntry[] = [];
  for (const v of list) {
    if (v === null) continue;
    const entry =
      typeof v === 'string'
        ? parseAbsSeries(v.trim())
        : {
            name: v.name.trim(),
            sequence: v.sequence == null || v.sequence === '' ? null : String(v.sequence),
          };
    if (entry.name && !entries.some((e) => e.name === entry.name && e.sequence === entry.sequence))
      entries.push(entry);
  }
  return entries.length ? entries : undefined;
}

function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || !hasValue(value) ? undefined : value;
}

/** Pure mapping from the validated ABS shape to canonical fields; absent/null/empty values stay absent. */
function toCanonical(f: AbsBookFields): PartialMetadata {
  const chapters: Chapter[] | undefined = f.chapters?.length
    ? f.chapters.map((c) => ({ start: c.start, end: c.end, title: c.title }))
    : undefined;
  const out: PartialMetadata = {
    title: present(f.title),
    subtitle: present(f.subtitle),
    authors: cleanNames(f.authors)?.map((name) => ({ name })),
    narrators: cleanNames(f.narrators),
    series: cleanSeries(f.series),
    genres: cleanNames(f.genres),
    tags: cleanNames(f.tags),
    chapters,
    publishedYear: present(f.publishedYear == null ? undefined : String(f.publishedYear)),
    publishedDate: present(f.publishedDate),
    publisher: present(f.publisher),
    description: present(f.description),
    isbn: present(f.isbn),
    asin: present(f.asin),
    language: present(f.language),
    explicit: f.explicit ?? undefined,
    abridged: f.abridged ?? undefined,
  };
  for (const key of Object.keys(out) as (keyof PartialMetadata)[])
    if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * Reads a metadata.json written by ABS (or by `buildAbsMetadataJson`). Null values and empty lists
 * are treated as absent, exactly as ABS's own scanner does (a sidecar cannot blank a field); list
 * entries are trimmed and de-duplicated. The pre-2.3 layout with book fields under `metadata` is read too.
 * @throws ValidationError naming `source` when the text is not JSON or a field has the wrong type.
 */
export function parseAbsMetadataJson(text: string, source: string): PartialMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(source, [`not valid JSON: ${(cause as Error).message}`], { cause });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(source, ['expected a JSON object at the top level']);
  }
  const record = raw as Record<string, unknown>;
  const nested = record.metadata && typeof record.metadata === 'object' ? (record.metadata as object) : {};
  const parsed = AbsBookFieldsSchema.safeParse({ ...nested, ...record });
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return toCanonical(parsed.data);
}
