import { BridgeError } from '../errors.js';
import { createCueExporter } from './cue.js';
import { createM3uExporter } from './m3u.js';
import { createMarkdownExporter } from './markdown.js';
import { createAbsMetadataJsonExporter } from './metadata-json.js';
import { createNfoExporter } from './nfo.js';
import { createOpfExporter } from './opf.js';
import { ExporterRegistry } from './registry.js';
import type { MetadataExporter } from './types.js';

export { ExporterRegistry } from './registry.js';
export type { ExportAudioFile, ExportContext, MetadataExporter } from './types.js';
export { writeExport } from './write.js';

/** Options for the default exporter set. */
export interface DefaultExportersOptions {
  /** Only these exporters (by name); unknown names are an error listing the valid ones. @default all */
  only?: string[];
}

/** Every built-in exporter, in a stable order. */
export function builtinExporters(): MetadataExporter[] {
  return [
    createAbsMetadataJsonExporter(),
    createOpfExporter(),
    createNfoExporter(),
    createCueExporter(),
    createM3uExporter(),
    createMarkdownExporter(),
  ];
}

/** Names of the built-in formats, for `--format` help and error messages. */
export const EXPORT_FORMATS = builtinExporters().map((e) => e.name);

/** Thrown for a format name that no exporter has; the message lists the valid ones. */
export class UnknownExportFormatError extends BridgeError {
  readonly unknown: string[];
  readonly valid: string[];
  constructor(unknown: string[], valid: string[]) {
    const list = unknown.map((u) => `"${u}"`).join(', ');
    super('UNKNOWN_EXPORT_FORMAT', `unknown export format ${list}; valid formats: ${valid.join(', ')}`);
    this.unknown = unknown;
    this.valid = valid;
  }
}

/** The registry with the built-in exporters (all, or `options.only`). */
export function createDefaultExporters(options: DefaultExportersOptions = {}): ExporterRegistry {
  const registry = new ExporterRegistry();
  const all = builtinExporters();
  const wanted = options.only?.map((n) => n.trim()).filter(Boolean);
  if (wanted) {
    const unknown = wanted.filter((n) => !all.some((e) => e.name === n));
    if (unknown.length) throw new UnknownExportFormatError(unknown, EXPORT_FORMATS);
  }
  for (const exporter of all) if (!wanted || wanted.includes(exporter.name)) registry.register(exporter);
  return registry;
}
