import type { z } from 'zod';
import type { IdType, LookupContext } from '../domain/lookup.js';
import type { FieldName } from '../domain/metadata.js';
import type { ProviderResult } from '../domain/provider-result.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';

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

/** What `src/app/providers.ts` hands each provider factory. No globals: everything comes through here. */
export interface ProviderContext {
  logger: Logger;
  events: EventBus;
  /** Present for network providers. */
  http?: ProviderHttp;
  /** User-Agent to send to every upstream. */
  userAgent: string;
  /** ffprobe binary local providers may run (`providers.local.ffprobePath`); empty: none. @default "ffprobe" */
  ffprobePath?: string;
}

/** What every provider's options hold, whatever else they add. */
export interface ProviderOptions {
  /** Off: the provider is not built. Absent (mocks): on. */
  enabled?: boolean;
  /** Trust multiplier for every field of this provider. */
  weight: number;
}

/**
 * A provider plugin: an id, its options schema and a factory. The schema is strict and has every
 * default (parsing `undefined` gives a working provider); the config assembles the schemas of the
 * built-in list (`src/providers/builtin.ts`) under `providers`, so each provider owns its options.
 */
export interface ProviderDefinition<S extends z.ZodType<ProviderOptions> = z.ZodType<ProviderOptions>> {
  id: string;
  kind: 'network' | 'local';
  description: string;
  optionsSchema: S;
  /** Why a provider enabled in the config cannot run with these options (it is skipped with a warning). */
  unavailable?(options: z.output<S>): string | undefined;
  create(options: z.output<S>, context: ProviderContext): MetadataProvider;
}
