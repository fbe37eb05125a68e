import type { IdType } from '../../domain/lookup.js';
import {
  type CanonicalMetadata,
  hasValue,
  type PartialMetadata,
  type ProvenanceKey,
} from '../../domain/metadata.js';
import type { ProviderResult } from '../../domain/provider-result.js';

type Settable = Exclude<keyof CanonicalMetadata, 'customFields'>;

/** How a value was found: its trust 0..1, the file it came from, the raw text before cleaning. */
export interface FieldOrigin {
  confidence: number;
  /** File path (or URL) the value was read from: provenance must name the file. */
  source: string;
  raw?: unknown;
}

/**
 * Collects fields for one local provider result. The first value set for a field wins, so readers
 * are called in order of preference; empty values are ignored.
 */
export class LocalResultBuilder {
  readonly fields: PartialMetadata = {};
  readonly #confidence: Partial<Record<ProvenanceKey, number>> = {};
  readonly #sourceRefs: Partial<Record<ProvenanceKey, string>> = {};
  readonly #raw: Partial<Record<ProvenanceKey, unknown>> = {};
  readonly notes: string[] = [];

  constructor(readonly provider: string) {}

  /** Sets a field unless it is already set or the value is empty. Returns true when set. */
  set<K extends Settable>(field: K, value: CanonicalMetadata[K] | undefined, origin: FieldOrigin): boolean {
    if (!hasValue(value) || hasValue(this.fields[field])) return false;
    (this.fields as Record<string, unknown>)[field] = value;
    this.#confidence[field] = clamp(origin.confidence);
    this.#sourceRefs[field] = origin.source;
    if (origin.raw !== undefined && origin.raw !== value) this.#raw[field] = origin.raw;
    return true;
  }

  /** Sets every field of a mapped partial with one origin (first value per field still wins). */
  setAll(
    partial: PartialMetadata,
    origin: FieldOrigin,
    perField: Partial<Record<Settable, number>> = {},
  ): void {
    for (const [key, value] of Object.entries(partial)) {
      if (key === 'customFields') continue;
      const field = key as Settable;
      this.set(field, value as CanonicalMetadata[typeof field], {
        ...origin,
        confidence: perField[field] ?? origin.confidence,
      });
    }
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  sourceOf(field: ProvenanceKey): string | undefined {
    return this.#sourceRefs[field];
  }

  /** The provider result; `success` when any field was found. */
  build(matchConfidence: number, matchedBy?: IdType): ProviderResult {
    const success = Object.keys(this.fields).length > 0;
    const score = success ? clamp(matchConfidence) : 0;
    const id = this.fields.asin ?? this.fields.isbn ?? this.fields.title;
    return {
      provider: this.provider,
      success,
      fields: this.fields,
      confidence: this.#confidence,
      matchConfidence: score,
      ...(matchedBy && success ? { matchedBy } : {}),
      candidates:
        success && id
          ? [
              {
                id,
                provider: this.provider,
                score,
                explanation: { source: this.sourceOf('title') ?? this.sourceOf('asin') ?? 'local files' },
                ...(this.fields.title ? { title: this.fields.title } : {}),
                ...(this.fields.authors ? { authors: this.fields.authors.map((a) => a.name) } : {}),
              },
            ]
          : [],
      fetchedAt: new Date().toISOString(),
      cached: false,
      sourceRefs: this.#sourceRefs,
      ...(Object.keys(this.#raw).length ? { raw: this.#raw } : {}),
      ...(this.notes.length ? { notes: this.notes } : {}),
    };
  }
}

function clamp(n: number): number {
  return Math.max(0, Math.min(1, n));
}
