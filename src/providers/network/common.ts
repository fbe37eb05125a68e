import type { z } from 'zod';
import type { IdType, LookupContext } from '../../domain/lookup.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { type Candidate, notFound, type ProviderResult } from '../../domain/provider-result.js';
import { ProviderError, ValidationError } from '../../errors.js';
import { scoreCandidate } from './scoring.js';

/**
 * Validates an upstream body; an unexpected shape becomes a ValidationError naming the
 * provider, the request and every problem (never a crash deep inside a mapper).
 */
export function parseBody<S extends z.ZodType>(schema: S, data: unknown, source: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  throw new ValidationError(source, issues, { cause: parsed.error });
}

/** Joins a service root and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The message of any of the error bodies the upstreams use, or undefined. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  const parts = [nested?.code, nested?.message, typeof b.error === 'string' ? b.error : undefined]
    .concat([b.error_description, b.message])
    .filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  return parts.length ? parts.join(': ').slice(0, 300) : undefined;
}

/** A non-retryable error for a 4xx the provider cannot turn into "not found". */
export function clientError(provider: string, status: number, body: unknown, what: string): ProviderError {
  const detail = upstreamMessage(body);
  return new ProviderError(
    provider,
    'UPSTREAM_REJECTED',
    `${what}: HTTP ${status}${detail ? ` (${detail})` : ''}`,
    {
      retryable: false,
      status,
    },
  );
}

/** One mapped candidate before scoring. */
export interface RawCandidate {
  id: string;
  fields: PartialMetadata;
  raw?: ProviderResult['raw'];
  sourceRef?: string;
}

/**
 * Scores every candidate against the context, sorts best first and returns the result with the
 * best one's fields. Every candidate is kept with its explanation so a person can pick another.
 */
export function searchResult(
  provider: string,
  ctx: LookupContext,
  raws: RawCandidate[],
  extra: { notes?: string[]; matchedBy?: IdType } = {},
): ProviderResult {
  const scored = raws.map((raw) => ({ raw, ...scoreCandidate(ctx, raw.fields) }));
  scored.sort((a, b) => b.score - a.score);
  const candidates: Candidate[] = scored.map(({ raw, score, explanation }) => ({
    id: raw.id,
    provider,
    ...(raw.fields.title ? { title: raw.fields.title } : {}),
    ...(raw.fields.authors ? { authors: raw.fields.authors.map((a) => a.name) } : {}),
    score,
    explanation,
    fields: raw.fields,
  }));
  const best = scored[0];
  if (!best) return notFound(provider, extra.notes);
  return {
    provider,
    success: true,
    fields: best.raw.fields,
    confidence: {},
    matchConfidence: best.score,
    matchedBy: extra.matchedBy ?? 'search',
    candidates,
    fetchedAt: new Date().toISOString(),
    cached: false,
    ...(best.raw.raw ? { raw: best.raw.raw } : {}),
    ...(best.raw.sourceRef ? { sourceRefs: { title: best.raw.sourceRef } } : {}),
    ...(extra.notes?.length ? { notes: extra.notes } : {}),
  };
}

/** A result for a direct identifier lookup (ASIN, ISBN): the book is this one. */
export function identifierResult(
  provider: string,
  matchedBy: IdType,
  found: RawCandidate,
  notes: string[] = [],
  matchConfidence = 0.99,
): ProviderResult {
  return {
    provider,
    success: true,
    fields: found.fields,
    confidence: {},
    matchConfidence,
    matchedBy,
    candidates: [
      {
        id: found.id,
        provider,
        ...(found.fields.title ? { title: found.fields.title } : {}),
        ...(found.fields.authors ? { authors: found.fields.authors.map((a) => a.name) } : {}),
        score: matchConfidence,
        explanation: { [matchedBy]: 'identifier lookup' },
        fields: found.fields,
      },
    ],
    fetchedAt: new Date().toISOString(),
    cached: false,
    ...(found.raw ? { raw: found.raw } : {}),
    ...(found.sourceRef ? { sourceRefs: { title: found.sourceRef } } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** Drops undefined values, empty strings and empty arrays so "unknown" never overrides "known". */
export function compact(fields: PartialMetadata): PartialMetadata {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && !value.trim()) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as PartialMetadata;
}
