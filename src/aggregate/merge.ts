import type { AggregatedResult, FieldConflict, FieldProvenance } from '../domain/aggregated.js';
import {
  type CanonicalMetadata,
  emptyMetadata,
  FIELD_NAMES,
  type FieldName,
  hasValue,
  type PartialMetadata,
  type ProvenanceKey,
} from '../domain/metadata.js';
import type { ProviderResult } from '../domain/provider-result.js';
import type { MetadataProvider } from '../providers/types.js';
import type { MergeOptions } from './merge-rules.js';
import { comparisonKey } from './normalize-value.js';

/** A provider's result together with the provider's weights. */
export interface WeightedResult {
  provider: Pick<MetadataProvider, 'id' | 'weight' | 'fieldWeights'> &
    Partial<Pick<MetadataProvider, 'kind' | 'capabilities'>>;
  result: ProviderResult;
  /** Index in the registry order; breaks ties so merges are deterministic. */
  order: number;
}

/** The provider id that locked values are credited to in provenance. */
export const LOCKED_PROVIDER = 'locked';

type MergeOutput = Pick<AggregatedResult, 'metadata' | 'sources' | 'provenance' | 'conflicts' | 'missing'>;

/**
 * Merges provider results field by field. Locked values always win and are recorded as the
 * `locked` provider with confidence 1. Custom fields merge per key with the same ranking.
 */
export function mergeResults(
  results: WeightedResult[],
  options: MergeOptions,
  locked: PartialMetadata = {},
): MergeOutput {
  const metadata: CanonicalMetadata = emptyMetadata();
  const target = metadata as Record<string, unknown>;
  const sources: MergeOutput['sources'] = {};
  const provenance: MergeOutput['provenance'] = {};
  const conflicts: FieldConflict[] = [];

  for (const field of FIELD_NAMES) {
    const candidates = rankCandidates(results, field, (fields) => fields[field]);
    const lockedValue = locked[field];
    if (hasValue(lockedValue)) {
      candidates.unshift({ provider: LOCKED_PROVIDER, confidence: 1, value: lockedValue, cached: false });
    }
    if (candidates.length === 0) continue;
    provenance[field] = candidates;
    const winner = candidates[0]!;
    sources[field] = winner.provider;
    const rule = options.rules[field] ?? 'best';
    target[field] =
      rule === 'union' && winner.provider !== LOCKED_PROVIDER
        ? unionValues(candidates, options.unionMinRatio)
        : structuredClone(winner.value);
    if (!options.conflictIgnore.includes(field) && rule !== 'union') {
      const conflict = detectConflict(field, candidates);
      if (conflict) conflicts.push(conflict);
    }
  }

  mergeCustomFields(results, locked, metadata, sources, provenance);
  const missing = FIELD_NAMES.filter((f) => !hasValue(target[f]));
  return { metadata, sources, provenance, conflicts, missing };
}

function rankCandidates(
  results: WeightedResult[],
  key: ProvenanceKey,
  pick: (fields: PartialMetadata) => unknown,
): FieldProvenance[] {
  const field = key as FieldName;
  const ranked: (FieldProvenance & { order: number })[] = [];
  for (const { provider, result, order } of results) {
    const value = pick(result.fields);
    if (!hasValue(value)) continue;
    const base = result.confidence[key] ?? result.matchConfidence;
    const weight = provider.fieldWeights?.[field] ?? provider.weight;
    const entry: FieldProvenance & { order: number } = {
      provider: provider.id,
      confidence: round(base * weight),
      value,
      fetchedAt: result.fetchedAt,
      cached: result.cached,
      order,
    };
    const sourceRef = result.sourceRefs?.[key];
    if (sourceRef) entry.sourceRef = sourceRef;
    if (result.raw && key in result.raw) entry.raw = result.raw[key];
    ranked.push(entry);
  }
  ranked.sort((a, b) => b.confidence - a.confidence || a.order - b.order);
  return ranked.map(({ order: _order, ...rest }) => rest);
}

function unionValues(candidates: FieldProvenance[], minRatio: number): unknown[] {
  const best = candidates[0]!.confidence;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const candidate of candidates) {
    if (candidate.confidence < best * minRatio) continue;
    for (const item of candidate.value as unknown[]) {
      const key = comparisonKey('union', item);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      out.push(structuredClone(item));
    }
  }
  return out;
}

function detectConflict(field: ProvenanceKey, candidates: FieldProvenance[]): FieldConflict | null {
  const real = candidates.filter((c) => c.provider !== LOCKED_PROVIDER || candidates.length > 1);
  const keys = new Set(real.map((c) => comparisonKey(field, c.value)));
  if (keys.size < 2) return null;
  return {
    field,
    values: real.map((c) => ({ provider: c.provider, value: c.value, confidence: c.confidence })),
  };
}

function mergeCustomFields(
  results: WeightedResult[],
  locked: PartialMetadata,
  metadata: CanonicalMetadata,
  sources: MergeOutput['sources'],
  provenance: MergeOutput['provenance'],
): void {
  const keys = new Set<string>(Object.keys(locked.customFields ?? {}));
  for (const { result } of results)
    for (const k of Object.keys(result.fields.customFields ?? {})) keys.add(k);
  for (const key of keys) {
    const provKey = `customFields.${key}` as const;
    const candidates = rankCandidates(results, provKey, (fields) => fields.customFields?.[key]);
    const lockedValue = locked.customFields?.[key];
    if (lockedValue !== undefined) {
      candidates.unshift({ provider: LOCKED_PROVIDER, confidence: 1, value: lockedValue, cached: false });
    }
    if (candidates.length === 0) continue;
    metadata.customFields[key] = structuredClone(candidates[0]!.value);
    sources[provKey] = candidates[0]!.provider;
    provenance[provKey] = candidates;
  }
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
