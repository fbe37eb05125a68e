import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { type CanonicalMetadata, CanonicalMetadataSchema } from './metadata.js';

/**
 * Version of the canonical schema. It is part of every cache key and is written into every
 * sidecar we produce, so a bump invalidates old cache entries and old sidecars get migrated on read.
 */
export const SCHEMA_VERSION = '2.0.0';

/** Canonical metadata together with the schema version it was written with. */
export const VersionedMetadataSchema = z.object({
  schemaVersion: z.string(),
  data: z.unknown(),
  migratedFrom: z.string().optional(),
});
export type VersionedMetadata = { schemaVersion: string; data: CanonicalMetadata; migratedFrom?: string };

/**
 * Schema 1.0.0 — the flat shape the first prototype (and its sidecars, `bridge.json`) used:
 * ```
 * { title, subtitle?, author: "A, B", narrator?: "C & D", series_name?, series_position?: number,
 *   year?: number, genres?: "Fantasy, Epic", duration_minutes?: number, asin?, isbn?, description?,
 *   publisher?, language?, custom?: {…} }
 * ```
 */
const V1Schema = z.looseObject({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  author: z.string().optional(),
  narrator: z.string().optional(),
  series_name: z.string().optional(),
  series_position: z.union([z.number(), z.string()]).optional(),
  year: z.union([z.number(), z.string()]).optional(),
  genres: z.string().optional(),
  duration_minutes: z.number().optional(),
  asin: z.string().optional(),
  isbn: z.string().optional(),
  description: z.string().optional(),
  publisher: z.string().optional(),
  language: z.string().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
});

function splitList(value: string | undefined, separator: RegExp): string[] | undefined {
  if (!value) return undefined;
  const parts = value
    .split(separator)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? parts : undefined;
}

function migrateV1toV2(raw: unknown): unknown {
  const v1 = V1Schema.parse(raw);
  const authors = splitList(v1.author, /\s*(?:,|&|;)\s*/)?.map((name) => ({ name }));
  return {
    title: v1.title,
    subtitle: v1.subtitle,
    authors,
    narrators: splitList(v1.narrator, /\s*(?:,|&|;)\s*/),
    series: v1.series_name
      ? [
          {
            name: v1.series_name,
            sequence: v1.series_position === undefined ? null : String(v1.series_position),
          },
        ]
      : undefined,
    publishedYear: v1.year === undefined ? undefined : String(v1.year),
    genres: splitList(v1.genres, /\s*,\s*/),
    durationSeconds: v1.duration_minutes === undefined ? undefined : v1.duration_minutes * 60,
    asin: v1.asin,
    isbn: v1.isbn,
    description: v1.description,
    publisher: v1.publisher,
    language: v1.language,
    customFields: v1.custom ?? {},
  };
}

/** Ordered migration chain: each step takes the data of `from` and returns the data of `to`. */
export const MIGRATIONS: readonly { from: string; to: string; migrate: (data: unknown) => unknown }[] = [
  { from: '1.0.0', to: '2.0.0', migrate: migrateV1toV2 },
];

/**
 * Brings data written with any known schema version up to SCHEMA_VERSION and validates it.
 * Unknown or newer versions are refused with a ValidationError naming the version.
 */
export function migrateMetadata(data: unknown, fromVersion: string, source = 'metadata'): VersionedMetadata {
  let version = fromVersion;
  let current = data;
  const guard = MIGRATIONS.length + 1;
  for (let steps = 0; version !== SCHEMA_VERSION; steps++) {
    const step = MIGRATIONS.find((m) => m.from === version);
    if (!step || steps > guard) {
      throw new ValidationError(source, [
        `unknown schema version "${version}" (this build reads up to ${SCHEMA_VERSION})`,
      ]);
    }
    try {
      current = step.migrate(current);
    } catch (cause) {
      throw new ValidationError(source, [`migration ${step.from} -> ${step.to} failed`], { cause });
    }
    version = step.to;
  }
  const parsed = CanonicalMetadataSchema.safeParse(stripUndefined(current));
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    data: parsed.data,
    ...(fromVersion !== SCHEMA_VERSION ? { migratedFrom: fromVersion } : {}),
  };
}

/** Reads a `{schemaVersion, data}` wrapper (from the cache or a sidecar) and migrates it. */
export function readVersioned(wrapper: unknown, source = 'metadata'): VersionedMetadata {
  const parsed = VersionedMetadataSchema.safeParse(wrapper);
  if (!parsed.success) throw new ValidationError(source, ['not a {schemaVersion, data} wrapper']);
  return migrateMetadata(parsed.data.data, parsed.data.schemaVersion, source);
}

export function wrapVersioned(data: CanonicalMetadata): VersionedMetadata {
  return { schemaVersion: SCHEMA_VERSION, data };
}

/** Removes keys whose value is undefined, so optional zod fields stay absent. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
    return out as T;
  }
  return value;
}
