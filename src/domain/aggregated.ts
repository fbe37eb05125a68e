import type { LookupContext } from './lookup.js';
import type { CanonicalMetadata, FieldName, ProvenanceKey } from './metadata.js';
import type { Candidate } from './provider-result.js';

/** One provider's value for one field, as considered by the merge. */
export interface FieldProvenance {
  provider: string;
  /** Effective score used for ranking: the provider's field confidence times its weight. */
  confidence: number;
  value: unknown;
  fetchedAt?: string;
  cached: boolean;
  /** File path or URL the value came from, when the provider said. */
  sourceRef?: string;
  /** The provider's raw value before cleaning, when it differs. */
  raw?: unknown;
}

/** Providers disagreed on a field after normalisation. */
export interface FieldConflict {
  field: ProvenanceKey;
  values: { provider: string; value: unknown; confidence: number }[];
}

/** What happened to one provider during an aggregation. */
export interface ProviderOutcome {
  provider: string;
  kind: 'network' | 'local';
  status: 'found' | 'not_found' | 'error' | 'timeout' | 'skipped' | 'excluded';
  matchConfidence: number;
  cached: boolean;
  /** When the cached answer this run used expires (ms since the epoch); absent: not cached. */
  expiresAt?: number;
  durationMs: number;
  error?: { code: string; message: string; retryable: boolean };
  notes?: string[];
  /** Fields the provider has not published for this book yet (ProviderResult.unpublished). */
  unpublished?: FieldName[];
  /** Why a provider was skipped or its result excluded from the merge. */
  reason?: string;
}

/** The merged answer for one item, with everything needed to explain it. */
export interface AggregatedResult {
  metadata: CanonicalMetadata;
  /** Winning provider per field. */
  sources: Partial<Record<ProvenanceKey, string>>;
  /** All candidate values per field, best first (`[0]` is the winner). */
  provenance: Partial<Record<ProvenanceKey, FieldProvenance[]>>;
  conflicts: FieldConflict[];
  /** Canonical fields no provider supplied. */
  missing: FieldName[];
  /** ISO-8601 UTC. */
  fetchedAt: string;
  /** Wall time per provider in milliseconds. */
  providerTimings: Record<string, number>;
  providers: ProviderOutcome[];
  /** 0..1 — confidence that the merged identity is the item (best provider's match confidence). */
  confidence: number;
  /** Best score of a different candidate book, 0 when none. */
  runnerUpConfidence: number;
  /** Candidate books across providers, best first (for review). */
  candidates: Candidate[];
  /** The context after local providers enriched it (what the network providers were asked). */
  context: LookupContext;
}
