import { z } from 'zod';
import { ID_TYPES, type IdType } from './lookup.js';
import {
  CanonicalMetadataSchema,
  FIELD_NAMES,
  type FieldName,
  type PartialMetadata,
  type ProvenanceKey,
} from './metadata.js';

/** One candidate book a provider considered, with the score and why. */
export interface Candidate {
  /** Provider-local id (ASIN, ISBN, work key, …). */
  id: string;
  provider: string;
  title?: string;
  authors?: string[];
  /** 0..1 — how likely this candidate is the item. */
  score: number;
  /** Per-signal contributions, e.g. `{ title: 0.98, author: 1, duration: 0.7 }`, or notes. */
  explanation: Record<string, number | string>;
  /** The candidate's mapped fields, so a person can pick it from the review queue. */
  fields?: PartialMetadata;
}

/** What one provider returns for one lookup. */
export interface ProviderResult {
  provider: string;
  /** True when the provider found the book (fields is non-empty). Not found = false without error. */
  success: boolean;
  fields: PartialMetadata;
  /** Per-field trust 0..1; a field without an entry uses `matchConfidence`. */
  confidence: Partial<Record<ProvenanceKey, number>>;
  /** 0..1 — how sure the provider is that what it found is this item. */
  matchConfidence: number;
  /** Which identifier led to the result. */
  matchedBy?: IdType;
  /**
   * The search answered with fewer results than it was asked for, so every book matching the
   * query is among the candidates: a work with one edition there has no other at this provider.
   */
  exhaustive?: boolean;
  /** Every candidate considered, best first. */
  candidates: Candidate[];
  /** ISO-8601 UTC time the data was fetched from the source (not from the cache). */
  fetchedAt: string;
  cached: boolean;
  /**
   * When the cached copy of this answer expires (ms since the epoch), set by the cache; absent
   * when the answer is not cached (an error, a provider without a cache key).
   */
  expiresAt?: number;
  /** Where a field came from when more precise than the provider: a file path, a URL. */
  sourceRefs?: Partial<Record<ProvenanceKey, string>>;
  /** The provider's raw value before cleaning (e.g. series position "Book 1"). */
  raw?: Partial<Record<ProvenanceKey, unknown>>;
  /** Set when the lookup failed; `success` is then false. */
  error?: { code: string; message: string; retryable: boolean };
  /** Warnings a person should see (unreadable file, chapters not readable, …). */
  notes?: string[];
  /**
   * Fields the provider knows this book by but has not published yet, so a later lookup may
   * find them (Audnexus: no chapters for the ASIN yet). The bridge re-checks such books.
   */
  unpublished?: FieldName[];
}

const Unit = z.number().min(0).max(1);
/** Canonical fields only: a misspelt field name is a provider bug, not an extra. */
const FieldsSchema = z.strictObject(CanonicalMetadataSchema.shape).partial();
const ProvenanceKeySchema = z
  .string()
  .refine(
    (k) => k in CanonicalMetadataSchema.shape || /^customFields\.\S/.test(k),
    'a canonical field or customFields.<key>',
  );

export const CandidateSchema = z.strictObject({
  id: z.string().min(1),
  provider: z.string().min(1),
  title: z.string().optional(),
  authors: z.array(z.string()).optional(),
  score: Unit,
  explanation: z.record(z.string(), z.union([z.number(), z.string()])),
  fields: FieldsSchema.optional(),
});

/**
 * The shape every provider's result keeps (test/providers/contract.ts holds each provider to it):
 * scores in 0..1, candidates best first, `fetchedAt` ISO-8601 UTC, an error only when unsuccessful.
 */
export const ProviderResultSchema = z
  .strictObject({
    provider: z.string().min(1),
    success: z.boolean(),
    fields: FieldsSchema,
    confidence: z.record(ProvenanceKeySchema, Unit),
    matchConfidence: Unit,
    matchedBy: z.enum(ID_TYPES).optional(),
    exhaustive: z.boolean().optional(),
    candidates: z
      .array(CandidateSchema)
      .refine((list) => list.every((c, i) => i === 0 || c.score <= (list[i - 1]?.score ?? 1)), 'best first'),
    fetchedAt: z.iso.datetime(),
    cached: z.boolean(),
    expiresAt: z.number().optional(),
    sourceRefs: z.record(ProvenanceKeySchema, z.string()).optional(),
    raw: z.record(ProvenanceKeySchema, z.unknown()).optional(),
    error: z
      .strictObject({ code: z.string().min(1), message: z.string(), retryable: z.boolean() })
      .optional(),
    notes: z.array(z.string()).optional(),
    unpublished: z.array(z.enum(FIELD_NAMES)).optional(),
  })
  .refine((r) => !(r.success && r.error), {
    message: 'a result with an error is unsuccessful',
    path: ['error'],
  });

// The schema describes exactly the interface: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _same: Same<
  Omit<z.output<typeof ProviderResultSchema>, 'confidence' | 'sourceRefs' | 'raw'>,
  Omit<ProviderResult, 'confidence' | 'sourceRefs' | 'raw'>
> = true;
void _same;

/** "Not found": an unsuccessful result without an error. */
export function notFound(provider: string, notes?: string[]): ProviderResult {
  return {
    provider,
    success: false,
    fields: {},
    confidence: {},
    matchConfidence: 0,
    candidates: [],
    fetchedAt: new Date().toISOString(),
    cached: false,
    ...(notes?.length ? { notes } : {}),
  };
}

/** An unsuccessful result: not found, or failed when `error` is given. */
export function emptyResult(
  provider: string,
  error?: ProviderResult['error'],
  notes?: string[],
): ProviderResult {
  return { ...notFound(provider, notes), ...(error ? { error } : {}) };
}
