import type { Chapter, PartialMetadata } from '../domain/metadata.js';
import { ValidationError } from '../errors.js';

/** An audio file of the book in playback order, its path relative to where the CUE sheet is written. */
export interface CueAudioFile {
  path: string;
  durationSeconds?: number;
}

/** CUE times are minutes:seconds:frames with 75 frames per second (Red Book). */
export const CUE_FRAMES_PER_SECOND = 75;
/** A chapter that starts this close to the start of the next file belongs to that file. */
const BOUNDARY_TOLERANCE_SECONDS = 1;

/** `mm:ss:ff`; minutes may exceed 99 for long books (cuetools and most players accept it). */
export function cueTime(seconds: number): string {
  const frames = Math.max(0, Math.round(seconds * CUE_FRAMES_PER_SECOND));
  const ff = frames % CUE_FRAMES_PER_SECOND;
  const totalSeconds = Math.floor(frames / CUE_FRAMES_PER_SECOND);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 60))}:${pad(totalSeconds % 60)}:${pad(ff)}`;
}

/** CUE strings have no escape mechanism: double quotes become single ones, line breaks spaces. */
export function cueString(text: string): string {
  return `"${text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/"/g, "'")
    .trim()}"`;
}

function fileType(path: string): string {
  const ext = path.toLowerCase().split('.').pop();
  if (ext === 'mp3') return 'MP3';
  if (ext === 'aif' || ext === 'aiff') return 'AIFF';
  // The CUE format knows no MP4/M4B/FLAC/OGG type; WAVE is what other tools write for them.
  return 'WAVE';
}

interface Track {
  fileIndex: number;
  offset: number;
  title: string;
}

/**
 * Places each chapter in the file that contains its start, with a time relative to that file. A file
 * in which no chapter starts gets a continuation track (the running chapter's title) so every file is
 * still reachable. Books without chapters get one track per file.
 */
export function placeTracks(chapters: Chapter[], files: CueAudioFile[]): Track[] {
  if (!chapters.length) return files.map((f, i) => ({ fileIndex: i, offset: 0, title: stem(f.path) }));
  const starts = fileStarts(files);
  const tracks: Track[] = [];
  let previous = 0;
  let running: string | undefined;
  for (const chapter of [...chapters].sort((a, b) => a.start - b.start)) {
    const index = fileContaining(chapter.start, starts);
    const offset = Math.max(0, chapter.start - (starts[index] as number));
    // Files the running chapter covers entirely, and the start of this one if the chapter begins later in it.
    const lastCovered = offset > BOUNDARY_TOLERANCE_SECONDS ? index : index - 1;
    for (let f = previous + 1; f <= lastCovered; f++)
      if (running) tracks.push({ fileIndex: f, offset: 0, title: running });
    tracks.push({ fileIndex: index, offset, title: chapter.title });
    previous = index;
    running = chapter.title;
  }
  return tracks;
}

function fileStarts(files: CueAudioFile[]): number[] {
  const starts: number[] = [];
  let acc = 0;
  for (const f of files) {
    starts.push(acc);
    acc += f.durationSeconds ?? Number.POSITIVE_INFINITY;
  }
  return starts;
}

/** Index of the file a book time falls in; a start just before a boundary counts as the next file. */
function fileContaining(seconds: number, starts: number[]): number {
  let index = 0;
  for (let i = 1; i < starts.length; i++)
    if (seconds >= (starts[i] as number) - BOUNDARY_TOLERANCE_SECONDS) index = i;
  return index;
}

function stem(filePath: string): string {
  const base = filePath.split(/[\\/]/).pop() ?? filePath;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function header(m: PartialMetadata): string[] {
  const lines: string[] = [];
  if (m.genres?.[0]) lines.push(`REM GENRE ${cueString(m.genres[0])}`);
  const year = m.publishedYear ?? m.publishedDate?.slice(0, 4);
  if (year) lines.push(`REM DATE ${year}`);
  if (m.asin) lines.push(`REM ASIN ${m.asin}`);
  lines.push('REM COMMENT "abs-metadata-bridge"');
  const performer = m.authors?.map((a) => a.name).join(', ');
  if (performer) lines.push(`PERFORMER ${cueString(performer)}`);
  if (m.narrators?.length) lines.push(`SONGWRITER ${cueString(m.narrators.join(', '))}`);
  lines.push(`TITLE ${cueString(m.title ?? 'Untitled')}`);
  return lines;
}

/**
 * Renders a CUE sheet: one track per chapter, `INDEX 01` in mm:ss:ff relative to the file the chapter
 * starts in, a FILE line whenever the file changes. Works for single-file (m4b) and multi-file books.
 * @throws ValidationError when there are no audio files, or several files and one lacks a duration.
 */
export function buildCue(m: PartialMetadata, files: CueAudioFile[]): string {
  if (!files.length) throw new ValidationError('cue', ['a CUE sheet needs the audio files of the book']);
  const unknown = files.slice(0, -1).filter((f) => f.durationSeconds === undefined);
  if (m.chapters?.length && unknown.length) {
    throw new ValidationError(
      'cue',
      unknown.map((f) => `no duration for ${f.path}; cannot place chapters after it`),
    );
  }
  const lines = header(m);
  let openFile = -1;
  placeTracks(m.chapters ?? [], files).forEach((track, i) => {
    const file = files[track.fileIndex] as CueAudioFile;
    if (track.fileIndex !== openFile) {
      lines.push(`FILE ${cueString(file.path)} ${fileType(file.path)}`);
      openFile = track.fileIndex;
    }
    lines.push(`  TRACK ${String(i + 1).padStart(2, '0')} AUDIO`, `    TITLE ${cueString(track.title)}`);
    lines.push(`    INDEX 01 ${cueTime(track.offset)}`);
  });
  return `${lines.join('\n')}\n`;
}
