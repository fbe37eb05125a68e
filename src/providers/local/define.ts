import { z } from 'zod';
import type { IdType } from '../../domain/lookup.js';
import { FIELD_NAMES, type FieldName } from '../../domain/metadata.js';
import type {
  MetadataProvider,
  ProviderCapabilities,
  ProviderContext,
  ProviderDefinition,
  ProviderOptions,
} from '../types.js';

/** A local provider's options: on or off, its weight (default given), then its own. */
export function localOptions<T extends z.ZodRawShape>(weight: number, extra: T) {
  return z
    .strictObject({
      enabled: z.boolean().default(true),
      weight: z.number().min(0).max(10).default(weight),
      ...extra,
    })
    .prefault({} as never); // every key has a default; zod cannot see that through the generic shape
}

/**
 * A local provider definition. Local providers read the item's own files (`ctx.path`,
 * `ctx.fileNames`), need no HTTP and are built from `providers.local.<key>`.
 */
export function defineLocalProvider<S extends z.ZodType<ProviderOptions>>(spec: {
  id: string;
  description: string;
  optionsSchema: S;
  create(options: z.output<S>, context: ProviderContext): MetadataProvider;
}): ProviderDefinition<S> {
  return { ...spec, kind: 'local' };
}

/** The book fields the richer local sources (tags, sidecars, Libation) all carry. */
export const BOOK_FIELDS = [
  'title',
  'subtitle',
  'authors',
  'narrators',
  'series',
  'genres',
  'description',
  'publisher',
  'publishedYear',
  'language',
  'asin',
  'isbn',
] as const satisfies readonly FieldName[];

/** Capabilities of a local provider: what it reads (in canonical order); one item at a time. */
export function localCapabilities(
  idTypes: readonly IdType[],
  fields: readonly FieldName[],
): ProviderCapabilities {
  return {
    idTypes,
    fields: FIELD_NAMES.filter((f) => fields.includes(f)),
    supportsBatch: false,
    maxBatchSize: 1,
  };
}
