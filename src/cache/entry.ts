import { z } from 'zod';
import { CanonicalMetadataSchema, type PartialMetadata } from '../domain/metadata.js';
import type { Candidate, ProviderResult } from '../domain/provider-result.js';
import { migrateMetadata, SCHEMA_VERSION, stripUndefined } from '../domain/versioning.js';
import { ValidationError } from '../errors.js';

const PartialMetadataSchema = CanonicalMetadataSchema.partial();

const CandidateSchema = z.object({
  id: z.string(),
  provider: z.string(),
  title: z.string().optional(),
  authors: z.array(z.string()).optional(),
  score: z.number(),
  explanation: z.record(z.string(), z.union([z.number(), z.string()])),
  fields: z.unknown().optional(),
});

/**
 * What the cache stores for one provider answer: enough to rebuild the ProviderResult with its
 * provenance (per-field confidence, fetchedAt of the *source* fetch, candidates).
 */
export const CacheEntrySchema = z.object({
  schemaVersion: z.string(),
  provider: z.string(),
  success: z.boolean(),
  fields: z.record(z.string(), z.unknown()),
  confidence: z.record(z.string(), z.number()).default({}),
  matchConfidence: z.number().min(0).max(1).default(0),
  matchedBy: z.enum(['asin', 'isbn', 'search']).optional(),
  candidates: z.array(CandidateSchema).default([]),
  /** ISO-8601 UTC time the source was asked. */
  fetchedAt: z.string(),
  sourceRefs: z.record(z.string(), z.string()).optional(),
  raw: z.record(z.string(), z.unknown()).optional(),
  notes: z.array(z.string()).optional(),
  /** Fields the provider has not published yet (a cached answer keeps the re-check going). */
  unpublished: z.array(z.string()).optional(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

/** Snapshot of a successful or not-found result (errors are never cached). */
export function entryFromResult(result: ProviderResult): CacheEntry {
  return stripUndefined({
    schemaVersion: SCHEMA_VERSION,
    provider: result.provider,
    success: result.success,
    fields: result.fields as Record<string, unknown>,
    confidence: result.confidence as Record<string, number>,
    matchConfidence: result.matchConfidence,
    matchedBy: result.matchedBy,
    candidates: result.candidates,
    fetchedAt: result.fetchedAt,
    sourceRefs: result.sourceRefs as Record<string, string> | undefined,
    raw: result.raw as Record<string, unknown> | undefined,
    notes: result.notes,
    unpublished: result.unpublished,
  });
}

/** Rebuilds the ProviderResult; `cached: true` tells the aggregator (and the user) where it came from. */
export function resultFromEntry(entry: CacheEntry, source = 'cache entry'): ProviderResult {
  if (entry.schemaVersion !== SCHEMA_VERSION) {
    throw new ValidationError(source, [`schema ${entry.schemaVersion} must be migrated first`]);
  }
  const fields = parseFields(entry.fields, source);
  return stripUndefined({
    provider: entry.provider,
    success: entry.success,
    fields,
    confidence: entry.confidence,
    matchConfidence: entry.matchConfidence,
    matchedBy: entry.matchedBy,
    candidates: entry.candidates.map((c) => candidateOf(c, source)),
    fetchedAt: entry.fetchedAt,
    cached: true,
    sourceRefs: entry.sourceRefs,
    raw: entry.raw,
    notes: entry.notes,
    unpublished: entry.unpublished,
  }) as ProviderResult;
}

function parseFields(fields: unknown, source: string): PartialMetadata {
  const parsed = PartialMetadataSchema.safeParse(fields);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((i) => `fields.${i.path.join('.')}: ${i.message}`),
    );
  }
  // `customFields` gets a default from the schema; keep an absent one absent.
  const out = parsed.data as PartialMetadata;
  if (!('customFields' in (fields as object))) delete out.customFields;
  return out;
}

function candidateOf(c: z.infer<typeof CandidateSchema>, source: string): Candidate {
  const { fields, ...rest } = c;
  return fields === undefined
    ? rest
    : { ...rest, fields: parseFields(fields, `${source} candidate ${c.id}`) };
}

/** Field names of schema 1.0.0 that were renamed in 2.0.0, for per-field confidence. */
const V1_FIELD_RENAMES: Record<string, string> = {
  author: 'authors',
  narrator: 'narrators',
  series_name: 'series',
  series_position: 'series',
  year: 'publishedYear',
  duration_minutes: 'durationSeconds',
  custom: 'customFields',
};

/**
 * Brings an entry written under an older schema version up to SCHEMA_VERSION: fields (and each
 * candidate's fields) go through the domain migration chain; confidence keys are renamed.
 * Throws ValidationError when the version is unknown or the data does not fit.
 */
/** Built once: constructing a zod schema costs more than parsing with it (every cache hit got here). */
const LooseEntrySchema = z.looseObject({
  schemaVersion: z.string(),
  fields: z.unknown(),
  fetched_at: z.string().optional(),
});

export function migrateEntry(stored: unknown, source = 'cache entry'): CacheEntry {
  const loose = LooseEntrySchema.safeParse(stored);
  if (!loose.success) throw new ValidationError(source, ['not a cache entry (no schemaVersion/fields)']);
  const from = loose.data.schemaVersion;
  if (from === SCHEMA_VERSION) return parseEntry(stored, source);
  const record = loose.data as Record<string, unknown>;
  const migrate = (data: unknown) => stripCustom(migrateMetadata(data, from, source).data, data);
  const confidence = Object.fromEntries(
    Object.entries((record.confidence as Record<string, number> | undefined) ?? {}).map(([k, v]) => [
      V1_FIELD_RENAMES[k] ?? k,
      v,
    ]),
  );
  const candidates = Array.isArray(record.candidates)
    ? record.candidates.map((c: Record<string, unknown>) =>
        c.fields === undefined ? c : { ...c, fields: migrate(c.fields) },
      )
    : [];
  return parseEntry(
    {
      ...record,
      schemaVersion: SCHEMA_VERSION,
      fields: migrate(loose.data.fields),
      confidence,
      candidates,
      fetchedAt: record.fetchedAt ?? loose.data.fetched_at,
      success: record.success ?? true,
      provider: record.provider ?? 'unknown',
    },
    source,
  );
}

function stripCustom(migrated: PartialMetadata, original: unknown): PartialMetadata {
  const hadCustom = original && typeof original === 'object' && 'custom' in original;
  if (!hadCustom && Object.keys(migrated.customFields ?? {}).length === 0) {
    const { customFields: _drop, ...rest } = migrated;
    return rest;
  }
  return migrated;
}

function parseEntry(value: unknown, source: string): CacheEntry {
  const parsed = CacheEntrySchema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}
