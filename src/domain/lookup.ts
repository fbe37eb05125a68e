import { z } from 'zod';
import type { PartialMetadata, SeriesEntry } from './metadata.js';

/** How a provider can find a book. `search` means by title/author (and whatever else it likes). */
export type IdType = 'asin' | 'isbn' | 'search';
export const ID_TYPES = ['asin', 'isbn', 'search'] as const satisfies readonly IdType[];

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
