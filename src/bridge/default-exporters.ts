import { ExporterRegistry } from '../exporters/registry.js';
import { buildAbsMetadataJson } from '../formats/abs-metadata-json.js';
import { buildOpf } from '../formats/opf.js';

/**
 * The two sidecars the bridge always needs, straight from the format codecs, for when no
 * exporter registry is handed in (the full registry lives in src/exporters/). metadata.json is
 * byte-for-byte ABS's own format, so ABS reading it back changes nothing.
 */
export function defaultSidecarExporters(): ExporterRegistry {
  return new ExporterRegistry()
    .register({
      name: 'metadata.json',
      fileExtension: '.json',
      description: "ABS's metadata.json",
      render: (metadata) => buildAbsMetadataJson(metadata),
      outputPath: () => 'metadata.json',
    })
    .register({
      name: 'opf',
      fileExtension: '.opf',
      description: 'OPF 2.0 package metadata',
      render: (metadata) => buildOpf(metadata),
      outputPath: (_dir, metadata, ctx) => {
        const template = String(ctx?.options?.opfFileName ?? 'metadata.opf');
        return template.replace('{asin}', metadata.asin ?? 'metadata');
      },
    });
}
