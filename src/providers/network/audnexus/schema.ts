import { z } from 'zod';

/** Audnexus response shapes (laxamentumtech/audnexus `src/config/types.ts`), tolerant of nulls. */
const Person = z.object({ asin: z.string().nullish(), name: z.string() });
const Series = z.object({ asin: z.string().nullish(), name: z.string(), position: z.string().nullish() });
const Genre = z.object({ asin: z.string().nullish(), name: z.string(), type: z.string() });

export const AudnexusBookSchema = z.object({
  asin: z.string(),
  title: z.string().min(1),
  subtitle: z.string().nullish(),
  authors: z.array(Person).default([]),
  narrators: z.array(Person).nullish(),
  seriesPrimary: Series.nullish(),
  seriesSecondary: Series.nullish(),
  genres: z.array(Genre).nullish(),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  releaseDate: z.string().nullish(),
  copyright: z.number().nullish(),
  language: z.string().nullish(),
  runtimeLengthMin: z.number().nullish(),
  formatType: z.string().nullish(),
  literatureType: z.string().nullish(),
  rating: z.string().nullish(),
  image: z.string().nullish(),
  isbn: z.string().nullish(),
  publisherName: z.string().nullish(),
  isAdult: z.boolean().nullish(),
  region: z.string().nullish(),
});
export type AudnexusBook = z.infer<typeof AudnexusBookSchema>;

export const AudnexusChaptersSchema = z.object({
  asin: z.string(),
  brandIntroDurationMs: z.number().nonnegative().default(0),
  brandOutroDurationMs: z.number().nonnegative().default(0),
  isAccurate: z.boolean().nullish(),
  runtimeLengthMs: z.number().nonnegative(),
  chapters: z.array(
    z.object({
      lengthMs: z.number().nonnegative(),
      startOffsetMs: z.number().nonnegative(),
      title: z.string(),
    }),
  ),
});
export type AudnexusChapters = z.infer<typeof AudnexusChaptersSchema>;

export const AudnexusAuthorSchema = z.object({
  asin: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  image: z.string().nullish(),
  genres: z.array(Genre).nullish(),
  region: z.string().nullish(),
});
export type AudnexusAuthor = z.infer<typeof AudnexusAuthorSchema>;

export const AudnexusAuthorSearchSchema = z.array(z.object({ asin: z.string(), name: z.string() }));

/** Both error shapes: `{error:{code,message,details}}` and Fastify's `{statusCode,error,message}`. */
export const AudnexusErrorSchema = z.union([
  z.object({
    error: z.object({ code: z.string(), message: z.string().optional(), details: z.unknown().optional() }),
  }),
  z.object({ statusCode: z.number().optional(), error: z.string(), message: z.string().optional() }),
]);

/** The stable code of an Audnexus error body ("REGION_UNAVAILABLE", "Not Found", …). */
export function audnexusErrorCode(body: unknown): string | undefined {
  const parsed = AudnexusErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return typeof parsed.data.error === 'string' ? parsed.data.error : parsed.data.error.code;
}
