import { buildNfo } from '../formats/nfo.js';
import { exportFileName } from './options.js';
import type { MetadataExporter } from './types.js';

/** Kodi/Jellyfin-style album NFO; `album.nfo` unless a template is configured. */
export function createNfoExporter(): MetadataExporter {
  return {
    name: 'nfo',
    fileExtension: '.nfo',
    description: 'Kodi/Jellyfin/Plex-style album NFO (XML)',
    render: (metadata) => buildNfo(metadata),
    outputPath: (_dir, metadata, ctx) => exportFileName(metadata, ctx, 'album.nfo'),
  };
}
