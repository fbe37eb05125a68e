import type { MetadataProvider, ProviderDefinition } from './types.js';

/**
 * Explicit registry of provider instances (no discovery). Order of registration is the
 * tie-break order in merges. Definitions are registered separately so config can build them.
 */
export class ProviderRegistry {
  readonly #providers = new Map<string, MetadataProvider>();

  register(provider: MetadataProvider): this {
    if (this.#providers.has(provider.id)) throw new Error(`provider "${provider.id}" is already registered`);
    this.#providers.set(provider.id, provider);
    return this;
  }

  unregister(id: string): boolean {
    return this.#providers.delete(id);
  }

  get(id: string): MetadataProvider | undefined {
    return this.#providers.get(id);
  }

  /** In registration order. */
  all(): MetadataProvider[] {
    return [...this.#providers.values()];
  }

  byKind(kind: MetadataProvider['kind']): MetadataProvider[] {
    return this.all().filter((p) => p.kind === kind);
  }
}

/** A plain map of provider definitions, keyed by id. */
export type ProviderDefinitions = Record<string, ProviderDefinition<never>>;
