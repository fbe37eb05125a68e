import { z } from 'zod';
import { MergeRuleSchema } from '../aggregate/merge-rules.js';
import { BoundaryPolicySchema } from '../boundary/options.js';
import { FIELD_NAMES } from '../domain/metadata.js';
import { EXPORT_FORMATS } from '../exporters/index.js';
import { DecisionThresholdsSchema } from '../matching/decision.js';
import { RegionSchema } from '../providers/network/options.js';
import { ProvidersSchema } from './providers.js';

const FieldNameSchema = z.enum(FIELD_NAMES);

/**
 * Genre and tag rules (src/bridge/pipeline/genre-rules.ts): provider terms mapped to the library's
 * vocabulary, blocked, or made tags; preview them with `abs-bridge genres --preview` first.
 */
export const GenresSchema = z.strictObject({
  /** Off: `genres --preview` still shows what the rules would do. */
  enabled: z.boolean().default(false),
  /** Term → the library's terms, e.g. `{"Science Fiction & Fantasy": ["Science Fiction", "Fantasy"]}`. */
  map: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  /** Terms never written, as genres or tags (e.g. "Unabridged", "Audible Original"). */
  block: z.array(z.string().min(1)).default([]),
  /** Provider genres that become tags instead. */
  toTags: z.array(z.string().min(1)).default([]),
  /** At most this many genres per book. @default 5 */
  max: z.number().int().positive().default(5),
  /**
   * Also tidy the genres a book already has (from its tags or an older match) when a match is
   * applied; a value a person edited after the bridge's last write is still kept.
   */
  tidyExisting: z.boolean().default(false),
});

const FieldPolicySchema = z.partialRecord(FieldNameSchema, z.enum(['fill-empty', 'overwrite', 'locked']));
const SidecarsSchema = z.array(z.enum(EXPORT_FORMATS as [string, ...string[]]));

/** What one ABS library may set for itself (`libraries.<libraryId>`); the rest comes from the top level. */
const LibraryPolicySchema = z.strictObject({
  /** The network providers this library's books are looked up with (local providers always run). */
  providers: z.array(z.string().min(1)).optional(),
  /** Marketplace region for providers that have regions (Audible, Audnexus) in this library. */
  region: RegionSchema.optional(),
  bridge: z
    .strictObject({
      fieldPolicy: FieldPolicySchema,
      defaultPolicy: z.enum(['fill-empty', 'overwrite']),
      sidecars: SidecarsSchema,
      writeChapters: z.boolean(),
      writeCover: z.boolean(),
      recheckHours: z.array(z.number().positive()),
    })
    .partial()
    .optional(),
  // No defaults here: a key a library leaves out comes from the top level, not from a default.
  genres: z
    .strictObject({
      enabled: z.boolean(),
      map: z.record(z.string().min(1), z.array(z.string().min(1))),
      block: z.array(z.string().min(1)),
      toTags: z.array(z.string().min(1)),
      max: z.number().int().positive(),
      tidyExisting: z.boolean(),
    })
    .partial()
    .optional(),
});

/**
 * The whole config. Every object in it is strict — an unknown (misspelt) key is an error naming its
 * path and the key it probably meant; `test/config/strict.test.ts` walks the schema to keep it so.
 */
export const ConfigSchema = z.strictObject({
  /** Folder for the SQLite cache, item state and checkpoints. @default "./data" */
  dataDir: z.string().default('./data'),
  logging: z
    .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info') })
    .default({
      level: 'info',
    }),
  /** Sent to every provider. */
  userAgent: z.string().default('abs-metadata-bridge/0.1 (+https://github.com/abs-metadata-bridge)'),
  cache: z
    .strictObject({
      /**
       * `sqlite://path` (default: `<dataDir>/cache.sqlite`), `redis://host:port`,
       * `file:///path/cache.json` (one JSON file, one process at a time) or `memory://`.
       */
      url: z.string().optional(),
      /** TTL for "not found" answers. @default 21600 (6 h) */
      negativeTtlSeconds: z
        .number()
        .int()
        .positive()
        .default(6 * 3600),
      /** TTL for search results (identifier lookups use the provider's cacheTtlSeconds). @default 86400 */
      searchTtlSeconds: z
        .number()
        .int()
        .positive()
        .default(24 * 3600),
    })
    .prefault({}),
  /** Provider boundary: retries, circuit breakers, queueing and batching for every network provider. */
  boundary: BoundaryPolicySchema.prefault({}),
  providers: ProvidersSchema.prefault({}),
  matching: z
    .strictObject({
      ...DecisionThresholdsSchema.shape,
      /** Provider results below this match confidence are kept out of the merge. @default 0.5 */
      minMatchConfidence: z.number().min(0).max(1).default(0.5),
      /**
       * Language of each ABS library (library id → language, `*` for the others): when an item's
       * own language is unknown, editions in its library's language are preferred over
       * translations (ABS #5346). @example {"*": "english", "lib_de": "german"} @default {}
       */
      libraryLanguages: z.record(z.string(), z.string().min(1)).default({}),
    })
    .prefault({}),
  /**
   * Genre and tag rules (src/bridge/pipeline/genre-rules.ts): provider terms mapped to the library's
   * vocabulary, blocked, or made tags; preview them with `abs-bridge genres --preview` first.
   */
  genres: GenresSchema.prefault({}),
  /**
   * Per-library policy, by ABS library id: field policy, sidecars, chapters/cover, re-checks and
   * genre rules (src/bridge/pipeline/library-policy.ts). @example {"lib_de": {"bridge": {"defaultPolicy": "overwrite"}}}
   */
  libraries: z.record(z.string().min(1), LibraryPolicySchema).default({}),
  merge: z
    .strictObject({
      /** Per-field rule: `best` (winner takes) or `union` (lists). Defaults: genres and tags union. */
      rules: z.partialRecord(FieldNameSchema, MergeRuleSchema).default({}),
    })
    .prefault({}),
  abs: z
    .strictObject({
      url: z.url().optional(),
      /** REST auth (an *active* API key). */
      apiKey: z.string().optional(),
      /** Socket auth: a user login; the bridge asks for refresh tokens and refreshes before expiry. */
      username: z.string().optional(),
      password: z.string().optional(),
      /** Socket auth alternative: a user JWT (access or legacy token). */
      token: z.string().optional(),
      /** ROUTER_BASE_PATH of the ABS server, e.g. `/audiobookshelf`. */
      basePath: z.string().default(''),
      /** Restrict to these library ids (default: every book library). */
      libraryIds: z.array(z.string()).default([]),
      timeoutMs: z.number().int().positive().default(15_000),
    })
    .prefault({}),
  /** How ABS's paths map to this machine's mounts (longest prefix wins). */
  pathMappings: z.array(z.strictObject({ abs: z.string().min(1), local: z.string().min(1) })).default([]),
  bridge: z
    .strictObject({
      /** Adding this tag to an item in ABS makes the bridge re-match it (then remove the tag). */
      triggerTag: z.string().default('bridge:rematch'),
      /** Per-field policy; fields not listed use `defaultPolicy`. */
      fieldPolicy: FieldPolicySchema.default({}),
      defaultPolicy: z.enum(['fill-empty', 'overwrite']).default('fill-empty'),
      /**
       * Items processed at once. Unset: sized from the providers' rate limits and the observed
       * work per item (2–64; boundary/concurrency.ts).
       */
      concurrency: z.number().int().positive().max(64).optional(),
      /** Safety-net catch-up poll. @default 900 */
      catchUpIntervalSeconds: z.number().int().positive().default(900),
      /**
       * Providers the decision depends on: while one of them is down (timeout, 5xx, open breaker)
       * a book waits instead of being decided on lesser evidence. `custom:*` = every custom provider.
       */
      waitForProviders: z.array(z.string().min(1)).default(['audible', 'audnexus', 'hardcover', 'custom:*']),
      /** When a book waiting for a provider is first tried again (then doubling, up to an hour). @default 120 */
      waitRetrySeconds: z.number().int().positive().default(120),
      /**
       * Books not applied (no candidate, below the bar, editions too close) are matched again after
       * these many hours, the last step repeating: 1 day, 3 days, 1 week, then monthly. `[]` = never.
       */
      recheckHours: z.array(z.number().positive()).default([24, 72, 168, 720]),
      /**
       * Spellings folding cannot join: canonical name → other spellings of the same person or
       * series, e.g. `{"Robert Galbraith": ["J. K. Rowling writing as Robert Galbraith"]}`.
       */
      aliases: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
      /** Tags a person adds in ABS to send a book to review, lock its values, or have it left alone. */
      tagCommands: z
        .strictObject({
          review: z.string().min(1).default('bridge:review'),
          lock: z.string().min(1).default('bridge:lock'),
          skip: z.string().min(1).default('bridge:skip'),
        })
        .prefault({}),
      writeChapters: z.boolean().default(true),
      writeCover: z.boolean().default(true),
      /** Exporters run after a successful apply, into the item folder. */
      sidecars: SidecarsSchema.default(['metadata.json', 'opf']),
      /** `metadata.opf`, or `{asin}.opf`. */
      opfFileName: z.string().default('metadata.opf'),
      /** Ask ABS to rescan an item after writing its sidecars. */
      scanAfterSidecars: z.boolean().default(false),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8787),
      /** Required for every route but /healthz, /readyz and /metrics. */
      token: z.string().optional(),
      bodyLimitBytes: z
        .number()
        .int()
        .positive()
        .default(256 * 1024),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      webhooks: z
        .array(
          z.strictObject({
            url: z.url(),
            format: z.enum(['json', 'discord']).default('json'),
            events: z
              .array(z.enum(['item.applied', 'item.review', 'provider.circuit.open']))
              .default(['item.applied', 'item.review', 'provider.circuit.open']),
          }),
        )
        .default([]),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
