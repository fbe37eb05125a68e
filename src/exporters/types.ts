import type { AggregatedResult } from '../domain/aggregated.js';
import type { CanonicalMetadata } from '../domain/metadata.js';

/** An audio file of the item, in playback order, relative to the item folder. */
export interface ExportAudioFile {
  path: string;
  durationSeconds?: number;
}

/** What an exporter may use besides the metadata. */
export interface ExportContext {
  audioFiles?: ExportAudioFile[];
  /** The aggregation behind the metadata, for formats that show provenance (Markdown). */
  result?: AggregatedResult;
  itemId?: string;
  /** Exporter-specific options from config (e.g. the OPF file name template). */
  options?: Record<string, unknown>;
}

/**
 * An output format (the inverse of a provider). `render` is pure; writing goes through
 * `writeExport`, which sanitises the name, keeps it inside `baseDir` and writes atomically.
 */
export interface MetadataExporter {
  /** Registry key and `--format` name, e.g. `opf`, `metadata.json`. */
  name: string;
  /** With the dot, e.g. `.opf`. */
  fileExtension: string;
  description: string;
  render(metadata: CanonicalMetadata, ctx?: ExportContext): string | Uint8Array;
  /** The file name (relative to the item folder) this exporter writes by default. */
  outputPath(baseDir: string, metadata: CanonicalMetadata, ctx?: ExportContext): string;
}
