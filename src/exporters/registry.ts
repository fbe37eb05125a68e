import type { MetadataExporter } from './types.js';

/** Explicit registry of exporters (mirrors the provider registry). */
export class ExporterRegistry {
  readonly #exporters = new Map<string, MetadataExporter>();

  register(exporter: MetadataExporter): this {
    if (this.#exporters.has(exporter.name))
      throw new Error(`exporter "${exporter.name}" is already registered`);
    this.#exporters.set(exporter.name, exporter);
    return this;
  }

  get(name: string): MetadataExporter | undefined {
    return this.#exporters.get(name);
  }

  /** Stable order: by name. */
  all(): MetadataExporter[] {
    return [...this.#exporters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.all().map((e) => e.name);
  }
}
