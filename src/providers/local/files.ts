import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import type { LookupContext } from '../../domain/lookup.js';
import { naturalCompare } from './names.js';

/** Audio containers ABS scans as book audio. */
export const AUDIO_EXTENSIONS = new Set([
  '.m4b',
  '.m4a',
  '.mp4',
  '.mp3',
  '.aac',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  '.wma',
  '.wav',
  '.aif',
  '.aiff',
  '.webm',
  '.mka',
  '.awb',
  '.caf',
]);

/** One file of an item, with its path relative to the item folder. */
export interface ItemFile {
  rel: string;
  abs: string;
  ext: string;
}

/** The files of one item folder plus anything that went wrong while listing it. */
export interface ItemFiles {
  root: string;
  files: ItemFile[];
  audio: ItemFile[];
  notes: string[];
}

export interface ScanOptions {
  /** Subfolder depth to descend into (disc folders "CD1/", "Part 2/"). @default 2 */
  maxDepth?: number;
  /** Stop after this many files; a huge folder is not an audiobook. @default 5000 */
  maxFiles?: number;
}

/**
 * Lists an item folder recursively (hidden entries skipped). Symlinked folders are followed once:
 * real paths already visited are skipped, so a symlink loop ends with a note instead of hanging.
 */
export async function scanItemFolder(root: string, options: ScanOptions = {}): Promise<ItemFiles> {
  const maxDepth = options.maxDepth ?? 2;
  const maxFiles = options.maxFiles ?? 5000;
  const notes: string[] = [];
  const files: ItemFile[] = [];
  const visited = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    const real = await fs.realpath(dir).catch(() => dir);
    if (visited.has(real)) {
      notes.push(`${dir}: skipped, folder already visited (symlink loop?)`);
      return;
    }
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      notes.push(`${dir}: cannot list folder (${(error as Error).message})`);
      return;
    }
    entries.sort((a, b) => naturalCompare(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (files.length >= maxFiles) {
        notes.push(`${root}: more than ${maxFiles} files, the rest were not read`);
        return;
      }
      const abs = path.join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? await statKind(abs, notes) : entry.isDirectory() ? 'dir' : 'file';
      if (kind === 'dir' && depth < maxDepth) await walk(abs, depth + 1);
      else if (kind === 'file') files.push(toItemFile(root, abs));
    }
  };
  await walk(root, 0);
  return withAudio(root, files, notes);
}

async function statKind(abs: string, notes: string[]): Promise<'dir' | 'file' | 'none'> {
  try {
    const stat = await fs.stat(abs);
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'none';
  } catch (error) {
    notes.push(`${abs}: broken link (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return 'none';
  }
}

function toItemFile(root: string, abs: string): ItemFile {
  return { rel: path.relative(root, abs), abs, ext: path.extname(abs).toLowerCase() };
}

function withAudio(root: string, files: ItemFile[], notes: string[]): ItemFiles {
  const sorted = [...files].sort((a, b) => naturalCompare(a.rel, b.rel));
  return { root, files: sorted, audio: sorted.filter((f) => AUDIO_EXTENSIONS.has(f.ext)), notes };
}

const scans = new WeakMap<LookupContext, Promise<ItemFiles>>();

/**
 * The files of the context's item: `ctx.fileNames` when given (relative to `ctx.path`), else a
 * scan of `ctx.path`. Memoised per context object, so the four local providers list the folder once.
 */
export function itemFilesOf(ctx: LookupContext): Promise<ItemFiles> | undefined {
  const root = ctx.path;
  if (!root) return undefined;
  let pending = scans.get(ctx);
  if (!pending) {
    pending = ctx.fileNames.length ? Promise.resolve(fromNames(root, ctx.fileNames)) : scanItemFolder(root);
    scans.set(ctx, pending);
  }
  return pending;
}

/** Files named by the context; a name leading outside the item folder is dropped with a note. */
function fromNames(root: string, names: readonly string[]): ItemFiles {
  const notes: string[] = [];
  const files: ItemFile[] = [];
  for (const rel of names) {
    const abs = path.resolve(root, rel);
    if (path.relative(root, abs).startsWith('..')) notes.push(`${rel}: outside the item folder, ignored`);
    else files.push(toItemFile(root, abs));
  }
  return withAudio(root, files, notes);
}
