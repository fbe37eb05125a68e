import { buildMarkdown } from '../formats/markdown.js';
import { exportFileName } from './options.js';
import type { MetadataExporter } from './types.js';

/** Human-readable summary with provenance and conflicts (uses `ctx.result` when given). */
export function createMarkdownExporter(): MetadataExporter {
  return {
    name: 'md',
    fileExtension: '.md',
    description: 'Markdown summary with the source and confidence of every field, and conflicts',
    render: (metadata, ctx) => buildMarkdown(metadata, ctx?.result),
    outputPath: (_dir, metadata, ctx) => exportFileName(metadata, ctx, 'metadata.md'),
  };
}
