import { access, readdir, stat } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPathMapper } from '../../abs/paths.js';
import { absToCanonical, absValuesOf, sameAbsValue, type WritableField } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import { type LookupContext, makeLookupContext } from '../../domain/lookup.js';
import type { Chapter } from '../../domain/metadata.js';
import type { SidecarFingerprints } from '../../exporters/sidecars.js';
import type { AbsItem, AbsMedia } from '../ports.js';
import type { BridgeItemRecord } from '../state/state-store.js';

const readdirCallback = promisify(readdir);
const statCallback = promisify(stat);

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

/** What the bridge knows of the item beyond ABS: its record (own writes) and the folder listing. */
export interface ItemEvidenceInput {
  record?: BridgeItemRecord | null;
  /** Names in the item folder (top level), from `listFolder`. */
  folderFiles?: readonly string[];
  /** Sidecars in the folder that are still exactly as the bridge wrote them, from `ownSidecars`. */
  ownFiles?: readonly string[];
}

/**
 * ABS's media with the bridge's own earlier writes taken back out: a field ABS still holds as the
 * bridge pushed it is the bridge's output, not evidence about the book, so the item is looked up
 * with the value that was there before (what a first run saw). Without this a re-run asks with
 * the ASIN the last run found and can reach another answer from the same library.
 */
export function evidenceMedia(media: AbsMedia, record?: BridgeItemRecord | null): AbsMedia {
  const pushed = record?.pushed;
  if (!pushed) return media;
  const current = absValuesOf(media);
  const metadata: Record<string, unknown> = { ...media.metadata };
  let tags = media.tags;
  for (const [field, value] of Object.entries(pushed) as [WritableField, unknown][]) {
    if (!sameAbsValue(field, current[field], value)) continue; // a person's edit since: evidence
    const before = record?.overwritten?.[field] ?? null;
    if (field === 'tags') tags = (before as string[] | null) ?? [];
    else metadata[field] = before;
  }
  return { ...media, metadata: metadata as AbsMedia['metadata'], tags };
}

/** The top-level names in the item folder (sidecars included), or [] when it cannot be read. */
export async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdirCallback(folder);
  } catch {
    return [];
  }
}

/** Sidecars the bridge wrote that nobody changed since (same size and mtime as after its write). */
export async function ownSidecars(known: SidecarFingerprints | undefined): Promise<string[]> {
  const own: string[] = [];
  for (const [file, print] of Object.entries(known ?? {})) {
    try {
      const s = await statCallback(file);
      if (s.size === print.size && s.mtimeMs === print.mtimeMs) own.push(file);
    } catch {
      // Gone: nothing to ignore.
    }
  }
  return own;
}

/** What providers are asked about an item: ABS's current values, duration, files, local path. */
export function lookupContextOf(
  item: AbsItem,
  folder: string | null,
  evidence: ItemEvidenceInput = {},
): LookupContext {
  const current = absToCanonical(evidenceMedia(item.media, evidence.record));
  const audio = (item.media.audioFiles ?? []).map((f) => f.metadata.relPath ?? f.metadata.filename);
  const files = [...new Set([...audio, ...(evidence.folderFiles ?? [])])];
  return makeLookupContext({
    itemId: item.id,
    libraryId: item.libraryId,
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
    ...(evidence.ownFiles?.length ? { ownFiles: [...evidence.ownFiles] } : {}),
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
