import { safeFileName } from '../formats/filename.js';
import { buildM3u } from '../formats/m3u.js';
import { exportFileName } from './options.js';
import type { MetadataExporter } from './types.js';

/** Extended M3U playlist of the audio files in order (needs `ctx.audioFiles`). */
export function createM3uExporter(): MetadataExporter {
  return {
    name: 'm3u',
    fileExtension: '.m3u',
    description: 'Extended M3U playlist of the audio files, relative paths',
    render: (metadata, ctx) => buildM3u(metadata, ctx?.audioFiles ?? []),
    outputPath: (_dir, metadata, ctx) =>
      exportFileName(metadata, ctx, safeFileName(metadata.title ?? 'book', '.m3u')),
  };
}
