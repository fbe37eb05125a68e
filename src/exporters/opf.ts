import { buildOpf } from '../formats/opf.js';
import { exportFileName } from './options.js';
import type { MetadataExporter } from './types.js';

/** OPF 2.0 package metadata for ABS and Calibre; file name `metadata.opf` or a template like `{asin}.opf`. */
export function createOpfExporter(): MetadataExporter {
  return {
    name: 'opf',
    fileExtension: '.opf',
    description: 'OPF 2.0 metadata (read by Audiobookshelf and Calibre)',
    render: (metadata) => buildOpf(metadata),
    // `opfFileName` is accepted as well: the bridge passes config.bridge.opfFileName under that key.
    outputPath: (_dir, metadata, ctx) =>
      exportFileName(
        metadata,
        ctx?.options?.opfFileName && !ctx.options.fileName
          ? { ...ctx, options: { fileName: ctx.options.opfFileName } }
          : ctx,
        'metadata.opf',
      ),
  };
}
