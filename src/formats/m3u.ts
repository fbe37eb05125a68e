import type { PartialMetadata } from '../domain/metadata.js';
import { ValidationError } from '../errors.js';

/** An audio file in playback order, its path relative to where the playlist is written. */
export interface PlaylistEntry {
  path: string;
  durationSeconds?: number;
}

/** #EXTINF titles end at the line: line breaks would start a bogus entry. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

function entryTitle(m: PartialMetadata, file: PlaylistEntry, index: number, count: number): string {
  const author = m.authors?.map((a) => a.name).join(', ');
  const book = m.title ?? file.path.split('/').pop() ?? file.path;
  const part = count > 1 ? ` (${index + 1}/${count})` : '';
  return oneLine(author ? `${author} - ${book}${part}` : `${book}${part}`);
}

/**
 * Extended M3U: `#EXTM3U`, a `#PLAYLIST` name, then `#EXTINF:<seconds>,<title>` and the relative path
 * for each file in order (`-1` when the duration is unknown). Paths use forward slashes; UTF-8.
 * @throws ValidationError when there are no files or a path is absolute or contains a line break.
 */
export function buildM3u(m: PartialMetadata, files: PlaylistEntry[]): string {
  if (!files.length) throw new ValidationError('m3u', ['a playlist needs the audio files of the book']);
  const bad = files.filter(
    (f) => /[\r\n]/.test(f.path) || f.path.startsWith('/') || /^[a-z]:[\\/]/i.test(f.path),
  );
  if (bad.length) {
    throw new ValidationError(
      'm3u',
      bad.map((f) => `not a relative one-line path: ${JSON.stringify(f.path)}`),
    );
  }
  const lines = ['#EXTM3U', '#EXTENC:UTF-8'];
  if (m.title) lines.push(`#PLAYLIST:${oneLine(m.title)}`);
  files.forEach((file, i) => {
    const seconds = file.durationSeconds === undefined ? -1 : Math.round(file.durationSeconds);
    lines.push(`#EXTINF:${seconds},${entryTitle(m, file, i, files.length)}`, file.path.replace(/\\/g, '/'));
  });
  return `${lines.join('\n')}\n`;
}
