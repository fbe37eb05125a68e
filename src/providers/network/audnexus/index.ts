import type { z } from 'zod';
import { ProvidersSchema } from '../../../config/schema.js';
import type { LookupContext } from '../../../domain/lookup.js';
import type { ProviderResult } from '../../../domain/provider-result.js';
import { notFound } from '../../../domain/provider-result.js';
import type { AsyncProvider, ProviderContext, ProviderDefinition } from '../../types.js';
import { identifierResult } from '../common.js';
import { pickRegion } from '../regions.js';
import { normaliseAsin } from '../text.js';
import { type AudnexusClient, createAudnexusClient } from './api.js';
import { checkChapters } from './chapters.js';
import { mapAudnexusBook } from './map.js';

export type AudnexusOptions = z.infer<typeof ProvidersSchema.shape.audnexus>;
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
export const audnexusDefinition: ProviderDefinition<AudnexusOptions> = {
  id: ID,
  kind: 'network',
  description: 'Audnexus (api.audnex.us): Audible book details and chapters by ASIN',
  optionsSchema: ProvidersSchema.shape.audnexus,
  create(options: AudnexusOptions, context: ProviderContext): AsyncProvider {
    if (!context.http) throw new Error('audnexus needs ctx.http');
    const baseUrl = options.baseUrl ?? 'https://api.audnex.us';
    const client = createAudnexusClient(context.http, baseUrl);
    return {
      id: ID,
      kind: 'network',
      mode: 'async',
      weight: options.weight,
      timeoutMs: options.timeoutMs,
      capabilities: { idTypes: ['asin'], supportsBatch: false, maxBatchSize: 1 },
      async lookup(ctx, { signal }) {
        const asin = normaliseAsin(ctx.asin);
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
};
