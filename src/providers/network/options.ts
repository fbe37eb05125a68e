import { z } from 'zod';
import type {
  AsyncProvider,
  ProviderCapabilities,
  ProviderContext,
  ProviderDefinition,
  ProviderHttp,
} from '../types.js';
import { REGIONS } from './regions.js';

/** Token bucket per provider. With Redis configured the bucket is shared by every instance. */
export const RateLimitSchema = z.strictObject({
  perMinute: z.number().positive(),
  burst: z.number().int().positive().default(1),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** An Audible marketplace (`providers.audible.region`, a library's `region`). */
export const RegionSchema = z.enum(REGIONS);

/** The defaults a network provider picks for the settings every one of them takes. */
export interface NetworkDefaults {
  enabled?: boolean;
  rateLimit: RateLimit;
  weight?: number;
  timeoutMs?: number;
  cacheTtlSeconds?: number;
}

/** Weight, timeout, rate limit and cache TTL: the settings every network provider takes. */
export function networkSettings(defaults: NetworkDefaults) {
  return {
    enabled: z.boolean().default(defaults.enabled ?? true),
    weight: z
      .number()
      .min(0)
      .max(10)
      .default(defaults.weight ?? 1),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .default(defaults.timeoutMs ?? 10_000),
    rateLimit: RateLimitSchema.default(defaults.rateLimit),
    /** How long a found result stays cached. */
    cacheTtlSeconds: z
      .number()
      .int()
      .positive()
      .default(defaults.cacheTtlSeconds ?? 3 * 24 * 3600),
  };
}

/**
 * The options schema of a built-in network provider: whether it is on, its service root (`baseUrl`;
 * the usual paths are appended, and it wins over the host a region would pick), the shared
 * settings, then its own. Strict, and every key has a default.
 */
export function networkOptions<B extends z.ZodType<string | undefined>, T extends z.ZodRawShape>(
  defaults: NetworkDefaults,
  baseUrl: B,
  extra: T,
) {
  const { enabled, ...rest } = networkSettings(defaults);
  // `{}` is a valid input (every key has a default); zod cannot see that through the generic shape.
  return z.strictObject({ enabled, baseUrl, ...rest, ...extra }).prefault({} as never);
}

/** What every network provider's options hold. */
export interface NetworkProviderOptions {
  enabled: boolean;
  weight: number;
  timeoutMs: number;
}

/** The lookups a network provider makes; `defineNetworkProvider` adds the rest of the provider. */
export type NetworkLookups = Pick<AsyncProvider, 'lookup' | 'lookupBatch'>;

/** A network provider described by its parts; see `defineNetworkProvider`. */
export interface NetworkProviderSpec<S extends z.ZodType<NetworkProviderOptions>> {
  id: string;
  description: string;
  optionsSchema: S;
  capabilities: ProviderCapabilities;
  unavailable?(options: z.output<S>): string | undefined;
  /** Builds the lookups once per provider, from its options and the boundary's HTTP. */
  setup(options: z.output<S>, http: ProviderHttp, context: ProviderContext): NetworkLookups;
}

/**
 * A network provider definition: an async provider with the configured weight and timeout, fixed
 * capabilities, and lookups over the boundary's HTTP (which every network provider needs).
 */
export function defineNetworkProvider<S extends z.ZodType<NetworkProviderOptions>>(
  spec: NetworkProviderSpec<S>,
): ProviderDefinition<S> {
  return {
    id: spec.id,
    kind: 'network',
    description: spec.description,
    optionsSchema: spec.optionsSchema,
    ...(spec.unavailable ? { unavailable: spec.unavailable } : {}),
    create(options, context) {
      if (!context.http) throw new Error(`${spec.id} is a network provider and needs context.http`);
      return {
        id: spec.id,
        kind: 'network',
        mode: 'async',
        weight: options.weight,
        timeoutMs: options.timeoutMs,
        capabilities: spec.capabilities,
        ...spec.setup(options, context.http, context),
      };
    },
  };
}
