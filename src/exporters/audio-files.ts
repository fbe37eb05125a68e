import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseAudioFile } from '../providers/local/parse-audio.js';
import type { ExportAudioFile } from './types.js';

/** Extensions ABS treats as audio (server/utils/globals.js `SupportedFileTypes.audio`). */
export const AUDIO_EXTENSIONS = new Set([
  '.m4b',
  '.mp3',
  '.m4a',
  '.flac',
  '.opus',
  '.ogg',
  '.oga',
  '.mp4',
  '.aac',
  '.wma',
  '.aiff',
  '.aif',
  '.wav',
  '.webm',
  '.webma',
  '.mka',
  '.awb',
  '.caf',
  '.mpg',
  '.mpeg',
]);

/**
 * The audio files directly in `folder`, in playback order (natural sort, as ABS orders parts), with
 * durations read by music-metadata (through the block tokenizer, as the tags provider reads) where
 * the file tells them. A file whose duration cannot be read
 * is still listed, without a duration.
 */
export async function listAudioFiles(folder: string): Promise<ExportAudioFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isFile() && AUDIO_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  return Promise.all(
    names.map(async (name) => {
      const duration = await parseAudioFile(path.join(folder, name), { duration: true, skipCovers: true })
        .then((meta) => meta.format.duration)
        .catch(() => undefined);
      return duration === undefined ? { path: name } : { path: name, durationSeconds: duration };
    }),
  );
}

/** Re-bases item-relative audio paths onto the folder the playlist/CUE is written to (forward slashes). */
export function relativeTo(outDir: string, itemDir: string, files: ExportAudioFile[]): ExportAudioFile[] {
  return files.map((f) => ({
    ...f,
    path: path.relative(path.resolve(outDir), path.resolve(itemDir, f.path)).split(path.sep).join('/'),
  }));
}
