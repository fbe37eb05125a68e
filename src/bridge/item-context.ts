import { access } from 'node:fs';
import path from 'node:path';
import { createPathMapper } from '../abs/paths.js';
import type { Config } from '../config/schema.js';
import type { Chapter } from '../domain/metadata.js';
import { type LookupContext, makeLookupContext } from '../providers/types.js';
import { absToCanonical } from './abs-item.js';
import type { AbsItem } from './ports.js';

/** The item folder on this machine, or null when it is not reachable (not mounted, missing). */
export async function reachableFolder(
  item: AbsItem,
  mappings: Config['pathMappings'],
): Promise<string | null> {
  if (!item.path || item.isMissing) return null;
  const local = createPathMapper(mappings).toLocal(item.path);
  if (!local) return null;
  // The callback API is several times cheaper per call than fs/promises.
  return new Promise((resolve) => access(local, (error) => resolve(error ? null : local)));
}

/** What providers are asked about an item: ABS's current values, duration, files, local path. */
export function lookupContextOf(item: AbsItem, folder: string | null): LookupContext {
  const current = absToCanonical(item.media);
  const files = (item.media.audioFiles ?? []).map((f) => f.metadata.relPath ?? f.metadata.filename);
  return makeLookupContext({
    itemId: item.id,
    ...(current.title ? { title: current.title } : {}),
    ...(current.subtitle ? { subtitle: current.subtitle } : {}),
    authors: (current.authors ?? []).map((a) => a.name),
    narrators: current.narrators ?? [],
    series: current.series ?? [],
    ...(item.media.duration ? { durationSeconds: item.media.duration } : {}),
    ...(current.asin ? { asin: current.asin } : {}),
    ...(current.isbn ? { isbn: current.isbn } : {}),
    ...(current.language ? { language: current.language } : {}),
    ...(current.publishedYear ? { publishedYear: current.publishedYear } : {}),
    ...(folder ? { path: folder, folderName: path.basename(folder) } : {}),
    fileNames: folder ? files : [],
    current,
  });
}

/**
 * True when ABS's chapters may be replaced: none, or only the one-per-file chapters ABS makes
 * for multi-file books (each chapter exactly spans one audio file).
 */
export function chaptersReplaceable(item: AbsItem): boolean {
  const chapters = item.media.chapters ?? [];
  if (chapters.length === 0) return true;
  const files = (item.media.audioFiles ?? []).filter((f) => !f.exclude);
  if (files.length < 2 || files.length !== chapters.length) return false;
  let start = 0;
  return chapters.every((c, i) => {
    const d = files[i]?.duration ?? 0;
    const ok = Math.abs(c.start - start) < 1 && Math.abs(c.end - (start + d)) < 1;
    start += d;
    return ok;
  });
}

/** Chapters fit when ordered, non-overlapping and ending within 2 % (at least 5 s) of the duration. */
export function chaptersFit(chapters: Chapter[], durationSeconds: number | undefined): boolean {
  if (chapters.length < 2 || !durationSeconds) return false;
  const last = chapters[chapters.length - 1] as Chapter;
  const slack = Math.max(5, durationSeconds * 0.02);
  if (Math.abs(last.end - durationSeconds) > slack) return false;
  return chapters.every(
    (c, i) => c.end > c.start && (i === 0 || c.start >= (chapters[i - 1] as Chapter).end - 0.5),
  );
}
