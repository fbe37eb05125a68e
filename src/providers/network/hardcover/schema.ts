import { z } from 'zod';

const Name = z.object({ name: z.string() });
const Contribution = z.object({ contribution: z.string().nullish(), author: Name.nullish() });
const Image = z.object({
  url: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

export const HardcoverEditionSchema = z.object({
  id: z.number().nullish(),
  asin: z.string().nullish(),
  isbn_13: z.string().nullish(),
  isbn_10: z.string().nullish(),
  edition_format: z.string().nullish(),
  reading_format: z.object({ id: z.number() }).nullish(),
  reading_format_id: z.number().nullish(),
  audio_seconds: z.number().nullish(),
  release_date: z.string().nullish(),
  publisher: Name.nullish(),
  language: z.object({ language: z.string().nullish(), code2: z.string().nullish() }).nullish(),
  image: Image.nullish(),
  cached_image: z.unknown().optional(),
  contributions: z.array(Contribution).nullish(),
});
export type HardcoverEdition = z.infer<typeof HardcoverEditionSchema>;

const CachedTag = z.object({ tag: z.string(), count: z.number().nullish() });

/** A `books` row as our queries select it (by ISBN, by ASIN, by id). */
export const HardcoverBookSchema = z.object({
  id: z.number(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  description: z.string().nullish(),
  release_date: z.string().nullish(),
  release_year: z.number().nullish(),
  audio_seconds: z.number().nullish(),
  rating: z.number().nullish(),
  image: Image.nullish(),
  contributions: z.array(Contribution).nullish(),
  book_series: z
    .array(
      z.object({
        position: z.number().nullish(),
        details: z.string().nullish(),
        featured: z.boolean().nullish(),
        series: Name.nullish(),
      }),
    )
    .nullish(),
  cached_tags: z.record(z.string(), z.array(CachedTag)).nullish(),
  default_audio_edition: HardcoverEditionSchema.nullish(),
  editions: z.array(HardcoverEditionSchema).nullish(),
});
export type HardcoverBook = z.infer<typeof HardcoverBookSchema>;

/** A Typesense search document (`search(...).results.hits[].document`). */
export const HardcoverDocumentSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  author_names: z.array(z.string()).nullish(),
  contributions: z.array(Contribution).nullish(),
  series_names: z.array(z.string()).nullish(),
  featured_series: z.object({ position: z.number().nullish(), series: Name.nullish() }).nullish(),
  featured_series_position: z.number().nullish(),
  audio_seconds: z.number().nullish(),
  isbns: z.array(z.string()).nullish(),
  release_year: z.number().nullish(),
  release_date: z.string().nullish(),
  genres: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  moods: z.array(z.string()).nullish(),
  description: z.string().nullish(),
  rating: z.number().nullish(),
  users_count: z.number().nullish(),
  image: Image.nullish(),
});
export type HardcoverDocument = z.infer<typeof HardcoverDocumentSchema>;

export const HardcoverSearchDataSchema = z.object({
  search: z.object({
    results: z
      .object({ hits: z.array(z.object({ document: HardcoverDocumentSchema })).default([]) })
      .nullish(),
  }),
});
export const HardcoverBooksDataSchema = z.object({ books: z.array(HardcoverBookSchema) });
export const HardcoverBookByIdDataSchema = z.object({ books_by_pk: HardcoverBookSchema.nullish() });

/** Any GraphQL envelope: data and/or errors (Hasura sends errors with HTTP 200). */
export const GraphqlEnvelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});
