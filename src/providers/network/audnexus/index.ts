import { z } from 'zod';
import { normalizeAsin } from '../../../domain/identifiers.js';
import type { LookupContext } from '../../../domain/lookup.js';
import { notFound, type ProviderResult } from '../../../domain/provider-result.js';
import { identifierResult } from '../common.js';
import { defineNetworkProvider, networkOptions, RegionSchema } from '../options.js';
import { pickRegion } from '../regions.js';
import { type AudnexusClient, createAudnexusClient } from './api.js';
import { checkChapters } from './chapters.js';
import { mapAudnexusBook } from './map.js';

const OptionsSchema = networkOptions(
  { rateLimit: { perMinute: 90, burst: 10 }, cacheTtlSeconds: 5 * 24 * 3600 },
  z.url().default('https://api.audnex.us'),
  { region: RegionSchema.default('us'), chapters: z.boolean().default(true) },
);
export type AudnexusOptions = z.infer<typeof OptionsSchema>;
const ID = 'audnexus';

async function withChapters(
  client: AudnexusClient,
  result: ProviderResult,
  ctx: LookupContext,
  region: ReturnType<typeof pickRegion>,
  signal: AbortSignal,
): Promise<void> {
  const asin = result.fields.asin;
  if (!asin) return;
  const source = await client.chapters(asin, region, signal);
  const notes = result.notes ?? [];
  // A 404 "has no chapters" or an empty list: not published yet for a new release (re-checked).
  if (!source?.chapters.length) result.unpublished = [...(result.unpublished ?? []), 'chapters'];
  if (!source) {
    notes.push('Audnexus has no chapters for this book');
  } else {
    const check = checkChapters(source, ctx.durationSeconds ?? ctx.current?.durationSeconds);
    notes.push(...check.notes);
    if (check.chapters?.length) {
      result.fields.chapters = check.chapters;
      result.confidence.chapters = check.confidence;
      result.raw = {
        ...result.raw,
        chapters: {
          fit: check.fit,
          brandIntroDurationMs: source.brandIntroDurationMs,
          brandOutroDurationMs: source.brandOutroDurationMs,
          runtimeLengthMs: source.runtimeLengthMs,
        },
      };
    }
  }
  if (notes.length) result.notes = notes;
}

/** Audnexus: Audible data by ASIN (the aggregator calls it once any source found an ASIN). */
export const audnexusDefinition = defineNetworkProvider({
  id: ID,
  description: 'Audnexus (api.audnex.us): Audible book details and chapters by ASIN',
  optionsSchema: OptionsSchema,
  capabilities: { idTypes: ['asin'], supportsBatch: false, maxBatchSize: 1 },
  setup(options, http) {
    const baseUrl = options.baseUrl;
    const client = createAudnexusClient(http, baseUrl);
    return {
      async lookup(ctx, { signal }) {
        const asin = normalizeAsin(ctx.asin);
        if (!asin) return notFound(ID, ctx.asin ? [`"${ctx.asin}" is not an ASIN`] : undefined);
        const region = pickRegion(ctx.region, options.region);
        const found = await client.book(asin, region, signal);
        if (!found) return notFound(ID, [`no book ${asin} in any Audible region`]);
        const result = identifierResult(ID, 'asin', mapAudnexusBook(found.book), found.notes, 1);
        result.sourceRefs = { title: `${baseUrl.replace(/\/+$/, '')}/books/${asin}?region=${found.region}` };
        if (options.chapters) {
          try {
            await withChapters(client, result, ctx, found.region, signal);
          } catch (error) {
            // Chapters are a bonus: a failing chapters call must not lose the book details.
            if (signal.aborted) throw error;
            result.notes = [...(result.notes ?? []), `chapters unavailable: ${(error as Error).message}`];
          }
        }
        return result;
      },
    };
  },
});
