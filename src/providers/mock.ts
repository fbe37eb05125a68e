import { z } from 'zod';
import { ID_TYPES, type IdType, type LookupContext } from '../domain/lookup.js';
import { CanonicalMetadataSchema, type PartialMetadata } from '../domain/metadata.js';
import type { ProviderResult } from '../domain/provider-result.js';
import type { AsyncProvider, ProviderDefinition, SyncProvider } from './types.js';

/** A canned answer of the mock provider, keyed by ASIN, ISBN or lower-cased title. */
export interface MockResponse {
  fields: PartialMetadata;
  matchConfidence?: number;
  confidence?: ProviderResult['confidence'];
  /** Throw this instead of answering. */
  error?: Error;
  /** Wait this long before answering (honours the abort signal). */
  delayMs?: number;
}

export interface MockProviderOptions {
  id?: string;
  kind?: 'network' | 'local';
  weight?: number;
  mode?: 'async' | 'sync';
  idTypes?: IdType[];
  responses?: Record<string, MockResponse>;
  timeoutMs?: number;
  /** What its search results identify (see ProviderCapabilities). @default 'edition' */
  identifies?: 'edition' | 'work';
}

export interface MockProvider {
  provider: AsyncProvider | SyncProvider;
  /** Every call, in order: which key it looked up. */
  calls: { key: string | undefined; ctx: LookupContext }[];
}

/** Looks a context up by ASIN, then ISBN, then lower-cased title. */
function keyFor(ctx: LookupContext, responses: Record<string, MockResponse>): string | undefined {
  return [ctx.asin, ctx.isbn, ctx.title?.toLowerCase()].find((k) => k !== undefined && k in responses);
}

function answer(
  id: string,
  key: string | undefined,
  response: MockResponse | undefined,
  ctx: LookupContext,
): ProviderResult {
  const found = Boolean(response);
  const matchedBy =
    key === undefined ? undefined : key === ctx.asin ? 'asin' : key === ctx.isbn ? 'isbn' : 'search';
  return {
    ...(found && matchedBy ? { matchedBy } : {}),
    provider: id,
    success: found,
    fields: structuredClone(response?.fields ?? {}),
    confidence: response?.confidence ?? {},
    matchConfidence: found ? (response?.matchConfidence ?? 1) : 0,
    candidates: found
      ? [
          {
            id: key ?? 'mock',
            provider: id,
            score: response?.matchConfidence ?? 1,
            explanation: { mock: 'canned response' },
            ...(response?.fields.title ? { title: response.fields.title } : {}),
          },
        ]
      : [],
    fetchedAt: new Date().toISOString(),
    cached: false,
  };
}

/** A provider with canned answers and a call log, for tests and the demo. */
export function createMockProvider(options: MockProviderOptions = {}): MockProvider {
  const id = options.id ?? 'mock';
  const responses = options.responses ?? {};
  const calls: MockProvider['calls'] = [];
  const base = {
    id,
    kind: options.kind ?? 'network',
    weight: options.weight ?? 1,
    capabilities: {
      idTypes: options.idTypes ?? ['asin', 'isbn', 'search'],
      supportsBatch: false,
      maxBatchSize: 1,
      ...(options.identifies ? { identifies: options.identifies } : {}),
    },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  } as const;
  if (options.mode === 'sync') {
    const provider: SyncProvider = {
      ...base,
      mode: 'sync',
      lookupSync(ctx) {
        const key = keyFor(ctx, responses);
        calls.push({ key, ctx });
        const response = key ? responses[key] : undefined;
        if (response?.error) throw response.error;
        return answer(id, key, response, ctx);
      },
    };
    return { provider, calls };
  }
  const provider: AsyncProvider = {
    ...base,
    mode: 'async',
    async lookup(ctx, { signal }) {
      signal.throwIfAborted();
      const key = keyFor(ctx, responses);
      calls.push({ key, ctx });
      const response = key ? responses[key] : undefined;
      if (response?.delayMs) await sleep(response.delayMs, signal);
      if (response?.error) throw response.error;
      return answer(id, key, response, ctx);
    },
  };
  return { provider, calls };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A canned provider from JSON (`providers.mock[]`, tests and the demo): answers keyed by ASIN, ISBN or lower-cased title. */
export const MockProviderConfigSchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['network', 'local']).default('network'),
  weight: z.number().min(0).max(10).default(1),
  idTypes: z.array(z.enum(ID_TYPES)).default([...ID_TYPES]),
  responses: z
    .record(
      z.string(),
      z.strictObject({
        fields: z.record(z.string(), z.unknown()),
        matchConfidence: z.number().min(0).max(1).optional(),
      }),
    )
    .default({}),
});

/** The mock as a definition: its canned fields are read as canonical metadata. */
export const mockProviderDefinition: ProviderDefinition<typeof MockProviderConfigSchema> = {
  id: 'mock',
  kind: 'network',
  description: 'Canned answers keyed by ASIN, ISBN or title (tests and demo)',
  optionsSchema: MockProviderConfigSchema,
  create: (options) =>
    createMockProvider({
      id: options.id,
      kind: options.kind,
      weight: options.weight,
      idTypes: options.idTypes,
      responses: Object.fromEntries(
        Object.entries(options.responses).map(([key, r]) => [
          key,
          {
            fields: CanonicalMetadataSchema.parse(r.fields),
            ...(r.matchConfidence !== undefined ? { matchConfidence: r.matchConfidence } : {}),
          },
        ]),
      ),
    }).provider,
};
