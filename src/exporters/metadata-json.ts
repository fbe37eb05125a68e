import { buildAbsMetadataJson } from '../formats/abs-metadata-json.js';
import type { MetadataExporter } from './types.js';

/** ABS's own metadata.json, byte for byte as ABS writes it (see src/formats/abs-metadata-json.ts). */
export function createAbsMetadataJsonExporter(): MetadataExporter {
  return {
    name: 'metadata.json',
    fileExtension: '.json',
    description: "Audiobookshelf's metadata.json sidecar, exactly as ABS writes it",
    render: (metadata) => buildAbsMetadataJson(metadata),
    // ABS only reads the fixed name; a template would produce a file it ignores.
    outputPath: () => 'metadata.json',
  };
}
