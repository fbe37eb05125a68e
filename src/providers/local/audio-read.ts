import path from 'node:path';
import type { IAudioMetadata } from 'music-metadata';
import type { Chapter } from '../../domain/metadata.js';
import { FfprobeMissingError, runFfprobe } from './ffprobe.js';
import { parseAudioFile } from './parse-audio.js';
import { bagFromFfprobe, bagFromNative, type TagBag } from './tag-bag.js';

/** What one audio file told us. */
export interface AudioFileInfo {
  file: string;
  bag: TagBag;
  durationSeconds?: number;
  chapters: Chapter[];
  /** Which reader produced the chapters. */
  chapterSource?: 'music-metadata' | 'ffprobe';
  /** False when no reader could open the file at all. */
  readable: boolean;
  /** music-metadata returned tags under numeric ids (an mdta key table); ffprobe reads them. */
  unresolvedTags?: boolean;
  notes: string[];
}

/** Shared across the files of one lookup: once ffprobe is known missing we stop trying it. */
export interface ReadState {
  ffprobePath: string;
  ffprobeMissing?: boolean;
  signal?: AbortSignal;
}

const MP4_FAMILY = new Set(['.m4b', '.m4a', '.mp4', '.aac', '.mov']);

/**
 * Reads tags, duration and chapters of one file. music-metadata first (in-process); when it
 * throws (e.g. on a +faststart chapter track) it is retried without chapters, and ffprobe reads
 * the chapters it misses (moov at the end) or everything when music-metadata cannot open the file.
 * Never throws: problems become notes naming the file.
 */
export async function readAudioFile(file: string, state: ReadState): Promise<AudioFileInfo> {
  const info: AudioFileInfo = { file, bag: {}, chapters: [], readable: false, notes: [] };
  const parsed = await parseWithMusicMetadata(file, info);
  if (parsed) {
    info.readable = true;
    info.bag = bagFromNative(parsed.native);
    // ffmpeg's `-movflags use_metadata_tags` writes an mdta key table music-metadata does not
    // resolve (ids come back as "\0\0\0\x01"): every tag is then unreadable by name.
    info.unresolvedTags = hasUnresolvedKeys(info.bag);
    if (parsed.format.duration !== undefined) info.durationSeconds = parsed.format.duration;
    info.chapters = chaptersFromMusicMetadata(parsed);
    if (info.chapters.length) info.chapterSource = 'music-metadata';
  }
  const wantFfprobe =
    !info.readable ||
    info.unresolvedTags ||
    (!info.chapters.length && MP4_FAMILY.has(path.extname(file).toLowerCase()));
  if (wantFfprobe && !state.signal?.aborted) await completeWithFfprobe(file, info, state);
  return info;
}

async function parseWithMusicMetadata(
  file: string,
  info: AudioFileInfo,
): Promise<IAudioMetadata | undefined> {
  try {
    return await parseAudioFile(file, { includeChapters: true, duration: false, skipCovers: true });
  } catch (first) {
    try {
      const parsed = await parseAudioFile(file, {
        includeChapters: false,
        duration: false,
        skipCovers: true,
      });
      info.notes.push(`${file}: chapter track unreadable by music-metadata (${(first as Error).message})`);
      return parsed;
    } catch (error) {
      info.notes.push(`${file}: cannot read audio tags (${(error as Error).message})`);
      return undefined;
    }
  }
}

async function completeWithFfprobe(file: string, info: AudioFileInfo, state: ReadState): Promise<void> {
  if (!state.ffprobePath || state.ffprobeMissing) {
    if (info.readable) info.notes.push(`${file}: chapters not read (ffprobe unavailable)`);
    return;
  }
  try {
    const probe = await runFfprobe(state.ffprobePath, file, state.signal);
    if (!info.readable || info.unresolvedTags) {
      info.readable = true;
      info.bag = { ...stripUnresolved(info.bag), ...bagFromFfprobe(probe.tags) };
      info.unresolvedTags = false;
      info.notes.push(`${file}: tags read with ffprobe instead`);
    }
    if (info.durationSeconds === undefined && probe.durationSeconds !== undefined) {
      info.durationSeconds = probe.durationSeconds;
    }
    if (!info.chapters.length && probe.chapters.length) {
      info.chapters = probe.chapters;
      info.chapterSource = 'ffprobe';
    }
  } catch (error) {
    if (error instanceof FfprobeMissingError) {
      state.ffprobeMissing = true;
      info.notes.push(
        `${file}: chapters not read — ${error.message}; set providers.local.ffprobePath (music-metadata misses chapters when the moov atom is at the end)`,
      );
    } else {
      info.notes.push((error as Error).message);
    }
  }
}

/** A key made only of control characters: an index into a key table the reader did not resolve. */
function isUnresolvedKey(key: string): boolean {
  return key.length > 0 && [...key].every((ch) => ch.charCodeAt(0) < 0x20);
}

function hasUnresolvedKeys(bag: TagBag): boolean {
  return Object.keys(bag).some(isUnresolvedKey);
}

function stripUnresolved(bag: TagBag): TagBag {
  return Object.fromEntries(Object.entries(bag).filter(([k]) => !isUnresolvedKey(k)));
}

/** music-metadata chapters: MP4 times are in timescale units, ID3 CHAP in seconds. */
export function chaptersFromMusicMetadata(parsed: Pick<IAudioMetadata, 'format'>): Chapter[] {
  const raw = parsed.format.chapters ?? [];
  const duration = parsed.format.duration;
  const starts = raw.map((c) => {
    const scale = (c as { timeScale?: number }).timeScale;
    return scale ? c.start / scale : c.start;
  });
  return raw.map((c, i) => {
    const start = Math.max(0, starts[i] ?? 0);
    const explicitEnd = (c as { end?: number }).end;
    const scale = (c as { timeScale?: number }).timeScale;
    const end =
      explicitEnd !== undefined
        ? scale
          ? explicitEnd / scale
          : explicitEnd
        : (starts[i + 1] ?? duration ?? start);
    return { start, end: Math.max(start, end), title: c.title?.trim() || `Chapter ${i + 1}` };
  });
}
