import { z } from 'zod';

const Person = z.object({ asin: z.string().nullish(), name: z.string() });

/**
 * One Audible catalog product. Only `asin` is always present: a placeholder for a title not
 * sold in the marketplace has no `title` (treated as not found).
 */
export const AudibleProductSchema = z.object({
  asin: z.string().nullish(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  authors: z.array(Person).nullish(),
  narrators: z.array(Person).nullish(),
  publisher_name: z.string().nullish(),
  publisher_summary: z.string().nullish(),
  merchandising_summary: z.string().nullish(),
  release_date: z.string().nullish(),
  runtime_length_min: z.number().nullish(),
  format_type: z.string().nullish(),
  language: z.string().nullish(),
  content_delivery_type: z.string().nullish(),
  series: z
    .array(z.object({ asin: z.string().nullish(), title: z.string(), sequence: z.string().nullish() }))
    .nullish(),
  publication_name: z.string().nullish(),
  category_ladders: z
    .array(
      z.object({
        ladder: z.array(z.object({ id: z.string(), name: z.string() })),
        root: z.string().nullish(),
      }),
    )
    .nullish(),
  product_images: z.record(z.string(), z.string()).nullish(),
  rating: z
    .object({
      overall_distribution: z.object({ display_average_rating: z.string().nullish() }).partial().nullish(),
    })
    .partial()
    .nullish(),
  isbn: z.string().nullish(),
  copyright: z.string().nullish(),
  is_adult_product: z.boolean().nullish(),
});
export type AudibleProduct = z.infer<typeof AudibleProductSchema>;

export const AudibleSearchSchema = z.object({
  products: z.array(AudibleProductSchema),
  total_results: z.number().nullish(),
});

export const AudibleProductEnvelopeSchema = z.object({ product: AudibleProductSchema });
