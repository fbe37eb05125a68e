import type { LookupContext } from '../domain/lookup.js';
import type { ProviderResult } from '../domain/provider-result.js';
import type { MetadataProvider } from '../providers/types.js';
import type { WeightedResult } from './merge.js';

/*
 * What each round of the aggregation knows: the item's context with the library's language
 * (round 1), filled from the local results (round 2), and the identifiers the confident results
 * found (round 3's follow-up lookups).
 */

/** The library's language from the configured map, unless the context brings its own. */
export function withLibraryLanguage(
  ctx: LookupContext,
  languages?: Readonly<Record<string, string>>,
): LookupContext {
  if (ctx.libraryLanguage || !languages) return ctx;
  const language = (ctx.libraryId ? languages[ctx.libraryId] : undefined) ?? languages['*'];
  return language ? { ...ctx, libraryLanguage: language } : ctx;
}

/** Whether a provider has something to go on in this context. */
export function canLookup(provider: MetadataProvider, ctx: LookupContext): boolean {
  const ids = provider.capabilities.idTypes;
  return (
    (ids.includes('asin') && Boolean(ctx.asin)) ||
    (ids.includes('isbn') && Boolean(ctx.isbn)) ||
    (ids.includes('search') && Boolean(ctx.title))
  );
}

/** Fills what the context lacks from the best local results (the context's own values win). */
export function enrichContext(ctx: LookupContext, local: WeightedResult[]): LookupContext {
  const best = (pick: (r: ProviderResult) => unknown) =>
    [...local]
      .filter((l) => l.result.success && pick(l.result) !== undefined)
      .sort(
        (a, b) => b.result.matchConfidence * b.provider.weight - a.result.matchConfidence * a.provider.weight,
      )
      .map((l) => pick(l.result))[0];
  const out: LookupContext = { ...ctx };
  out.title ??= best((r) => r.fields.title) as string | undefined;
  out.subtitle ??= best((r) => r.fields.subtitle) as string | undefined;
  out.asin ??= best((r) => r.fields.asin) as string | undefined;
  out.isbn ??= best((r) => r.fields.isbn) as string | undefined;
  out.language ??= best((r) => r.fields.language) as string | undefined;
  out.publishedYear ??= best((r) => r.fields.publishedYear) as string | undefined;
  out.durationSeconds ??= best((r) => r.fields.durationSeconds) as number | undefined;
  if (!out.authors.length)
    out.authors = (best((r) => r.fields.authors?.map((a) => a.name)) as string[]) ?? [];
  if (!out.narrators.length) out.narrators = (best((r) => r.fields.narrators) as string[]) ?? [];
  if (!out.series.length) out.series = (best((r) => r.fields.series) as LookupContext['series']) ?? [];
  for (const key of Object.keys(out) as (keyof LookupContext)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** The identifiers of the most confident results, and the result they came from. */
export function bestIdentifiers(
  results: WeightedResult[],
  min: number,
): { asin?: string; isbn?: string; from?: { provider: string; confidence: number } } {
  const confident = results
    .filter((r) => r.result.success && r.result.matchConfidence >= min)
    .sort((a, b) => b.result.matchConfidence - a.result.matchConfidence);
  const withAsin = confident.find((r) => r.result.fields.asin);
  const withIsbn = confident.find((r) => r.result.fields.isbn);
  const source = withAsin ?? withIsbn;
  return {
    ...(withAsin?.result.fields.asin ? { asin: withAsin.result.fields.asin } : {}),
    ...(withIsbn?.result.fields.isbn ? { isbn: withIsbn.result.fields.isbn } : {}),
    ...(source
      ? {
          from: {
            provider: source.provider.id,
            confidence: Math.max(
              withAsin?.result.matchConfidence ?? 0,
              withIsbn?.result.matchConfidence ?? 0,
            ),
          },
        }
      : {}),
  };
}
