import { z } from 'zod';
import type { FieldName, PartialMetadata, ProvenanceKey, SeriesEntry } from '../domain/metadata.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';

/** How a provider can find a book. `search` means by title/author (and whatever else it likes). */
export type IdType = 'asin' | 'isbn' | 'search';

/** Everything we know about an item before asking providers. All optional except the lists. */
export interface LookupContext {
  /** ABS library item id, when the context came from ABS. */
  itemId?: string;
  title?: string;
  subtitle?: string;
  authors: string[];
  narrators: string[];
  series: SeriesEntry[];
  durationSeconds?: number;
  asin?: string;
  isbn?: string;
  language?: string;
  /**
   * The library's language (config `matching.libraryLanguages`), used when the item's own is
   * unknown: editions in it are preferred over translations.
   */
  libraryLanguage?: string;
  /** ABS library the item belongs to. */
  libraryId?: string;
  publishedYear?: string;
  /** Local folder of the item (after path mapping), when reachable. */
  path?: string;
  folderName?: string;
  /** Audio and other file names in the item folder, relative, in order. */
  fileNames: string[];
  /**
   * Absolute paths of sidecars the bridge itself wrote and nobody changed since: its own output,
   * never evidence about the book (local providers skip them).
   */
  ownFiles?: string[];
  /** ABS's current metadata for the item, in canonical form. */
  current?: PartialMetadata;
  /** Marketplace region for providers that have regions (us, uk, de, …). */
  region?: string;
}

/** The JSON a user (or `identify --context`) may hand in; unknown keys are ignored. */
export const LookupContextInputSchema = z.object({
  itemId: z.string().optional(),
  title: z.string().optional(),
  subtitle: z.string().optional(),
  authors: z.array(z.string()).default([]),
  narrators: z.array(z.string()).default([]),
  series: z
    .array(
      z.object({
        name: z.string().min(1),
        sequence: z
          .union([z.string(), z.number()])
          .nullish()
          .transform((v) => (v === undefined || v === null ? null : String(v))),
      }),
    )
    .default([]),
  durationSeconds: z.number().nonnegative().optional(),
  asin: z.string().optional(),
  isbn: z.string().optional(),
  language: z.string().optional(),
  libraryLanguage: z.string().optional(),
  libraryId: z.string().optional(),
  publishedYear: z.union([z.string(), z.number()]).transform(String).optional(),
  path: z.string().optional(),
  folderName: z.string().optional(),
  fileNames: z.array(z.string()).default([]),
  region: z.string().optional(),
});

export function makeLookupContext(input: Partial<LookupContext> = {}): LookupContext {
  return { authors: [], narrators: [], series: [], fileNames: [], ...input };
}

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
  /** Where a field came from when more precise than the provider: a file path, a URL. */
  sourceRefs?: Partial<Record<ProvenanceKey, string>>;
  /** The provider's raw value before cleaning (e.g. series position "Book 1"). */
  raw?: Partial<Record<ProvenanceKey, unknown>>;
  /** Set when the lookup failed; `success` is then false. */
  error?: { code: string; message: string; retryable: boolean };
  /** Warnings a person should see (unreadable file, chapters not readable, …). */
  notes?: string[];
}

/** Options for one provider call. */
export interface LookupOptions {
  signal: AbortSignal;
  /** Skip cached entries and fetch again. */
  refresh?: boolean;
}

/** Static description of what a provider can do. */
export interface ProviderCapabilities {
  idTypes: readonly IdType[];
  /** Fields it can supply (informational; shown by `doctor` and the web page). */
  fields?: readonly FieldName[];
  supportsBatch: boolean;
  maxBatchSize: number;
  /**
   * What a search result of this provider identifies: an `edition` (a listing with narrator and
   * length, as Audible, Audnexus or a store) or only a `work` (Open Library, Google Books,
   * iTunes, Hardcover: title and author, no way to tell editions apart). Work-level results fill
   * fields but do not make an edition certain (src/aggregate/confidence.ts). @default 'edition'
   */
  identifies?: 'edition' | 'work';
}

interface ProviderBase {
  id: string;
  kind: 'network' | 'local';
  /** Trust multiplier for every field of this provider (default 1). */
  weight: number;
  /** Per-field overrides of `weight`. */
  fieldWeights?: Partial<Record<FieldName, number>>;
  capabilities: ProviderCapabilities;
  /** Per-call timeout the aggregator enforces, ms. */
  timeoutMs?: number;
}

/** A provider doing I/O: returns a promise and honours the abort signal. */
export interface AsyncProvider extends ProviderBase {
  mode: 'async';
  lookup(ctx: LookupContext, options: LookupOptions): Promise<ProviderResult>;
  /** Only when `capabilities.supportsBatch`: one request for several contexts, results in order. */
  lookupBatch?(ctxs: LookupContext[], options: LookupOptions): Promise<ProviderResult[]>;
}

/** A provider that computes from what it is given (e.g. folder names); run off the caller's stack. */
export interface SyncProvider extends ProviderBase {
  mode: 'sync';
  lookupSync(ctx: LookupContext): ProviderResult;
}

export type MetadataProvider = AsyncProvider | SyncProvider;

/** HTTP through the provider boundary (rate limit, circuit breaker, retries, timeout). */
export interface ProviderHttpRequest {
  method?: 'GET' | 'POST';
  url: string;
  params?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}
export interface ProviderHttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}
/**
 * Resolves for 2xx and for 4xx other than 401/403/429 (the provider maps those bodies);
 * throws AuthError on 401/403 and ProviderError on 429/5xx/network after retries.
 */
export interface ProviderHttp {
  request<T = unknown>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>>;
}

/** What the registry hands each provider factory. No globals: everything comes through here. */
export interface ProviderContext {
  logger: Logger;
  events: EventBus;
  /** Present for network providers. */
  http?: ProviderHttp;
  /** User-Agent to send to every upstream. */
  userAgent: string;
}

/** A provider plugin: id, option schema with defaults, and a factory. */
export interface ProviderDefinition<Options = unknown> {
  id: string;
  kind: 'network' | 'local';
  description: string;
  optionsSchema: z.ZodType<Options>;
  create(options: Options, context: ProviderContext): MetadataProvider;
}

/** Builds an unsuccessful result (not found, or failed when `error` is given). */
export function emptyResult(
  provider: string,
  error?: ProviderResult['error'],
  notes?: string[],
): ProviderResult {
  return {
    provider,
    success: false,
    fields: {},
    confidence: {},
    matchConfidence: 0,
    candidates: [],
    fetchedAt: new Date().toISOString(),
    cached: false,
    ...(error ? { error } : {}),
    ...(notes?.length ? { notes } : {}),
  };
}
