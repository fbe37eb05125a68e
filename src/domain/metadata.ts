import { z } from 'zod';

/** A contributor; the ASIN is Audible's author id when known. */
export const PersonSchema = z.object({
  name: z.string().min(1),
  asin: z.string().optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/**
 * One series membership. `sequence` is kept as a string exactly as ABS stores it
 * ("1", "0.5", null); the raw provider text ("Book 1", "1-2") lives in provenance.
 */
export const SeriesEntrySchema = z.object({
  name: z.string().min(1),
  sequence: z.string().nullable().default(null),
});
export type SeriesEntry = z.infer<typeof SeriesEntrySchema>;

/** A chapter in seconds from the start of the whole book. */
export const ChapterSchema = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  title: z.string(),
});
export type Chapter = z.infer<typeof ChapterSchema>;

/** A cover candidate; width/height when the provider tells them. */
export const CoverSchema = z.object({
  url: z.string().min(1),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type Cover = z.infer<typeof CoverSchema>;

/**
 * The canonical metadata of one audiobook. Every field is optional: a provider fills the
 * ones it knows, the aggregator merges them. `customFields` are user-defined extras that are
 * carried through every stage untouched.
 */
export const CanonicalMetadataSchema = z.object({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  authors: z.array(PersonSchema).optional(),
  narrators: z.array(z.string().min(1)).optional(),
  /** Primary series first. */
  series: z.array(SeriesEntrySchema).optional(),
  genres: z.array(z.string().min(1)).optional(),
  tags: z.array(z.string().min(1)).optional(),
  /** HTML, sanitised to ABS's allow-list before it is written anywhere. */
  description: z.string().optional(),
  publisher: z.string().optional(),
  /** Four-digit year as a string, as ABS stores it. Prefer the original publication year. */
  publishedYear: z.string().optional(),
  /** ISO date (YYYY-MM-DD) of this edition's release. */
  publishedDate: z.string().optional(),
  /** Language name as ABS shows it ("English"). */
  language: z.string().optional(),
  isbn: z.string().optional(),
  asin: z.string().optional(),
  explicit: z.boolean().optional(),
  abridged: z.boolean().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  chapters: z.array(ChapterSchema).optional(),
  cover: CoverSchema.optional(),
  /** 0..5 stars. */
  rating: z.number().min(0).max(5).optional(),
  customFields: z.record(z.string(), z.unknown()).default({}),
});
export type CanonicalMetadata = z.infer<typeof CanonicalMetadataSchema>;
/** What a provider hands back: any subset of the canonical fields. */
export type PartialMetadata = Partial<CanonicalMetadata>;

/** The canonical field names, in the order they are shown to people. */
export const FIELD_NAMES = [
  'title',
  'subtitle',
  'authors',
  'narrators',
  'series',
  'genres',
  'tags',
  'description',
  'publisher',
  'publishedYear',
  'publishedDate',
  'language',
  'isbn',
  'asin',
  'explicit',
  'abridged',
  'durationSeconds',
  'chapters',
  'cover',
  'rating',
] as const satisfies readonly Exclude<keyof CanonicalMetadata, 'customFields'>[];
export type FieldName = (typeof FIELD_NAMES)[number];

/** A field name or a custom field, addressed as `customFields.<key>` in provenance. */
export type ProvenanceKey = FieldName | `customFields.${string}`;

export function emptyMetadata(): CanonicalMetadata {
  return { customFields: {} };
}

/** True when a value counts as "has data" (non-empty string, non-empty array, any number/boolean/object). */
export function hasValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export function isFieldName(name: string): name is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(name);
}
