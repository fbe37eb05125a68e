import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LookupContext } from '../../domain/lookup.js';
import { emptyResult, type ProviderResult } from '../../domain/provider-result.js';
import { describeError } from '../../errors.js';
import type { AsyncProvider } from '../types.js';
import { BOOK_FIELDS, defineLocalProvider, localCapabilities, localOptions } from './define.js';
import { itemFilesOf } from './files.js';
import { parseItemPath } from './folder-parse.js';
import { type LibationExportBook, mapLibationProduct, parseLibationExport } from './libation-map.js';
import { LocalResultBuilder } from './result.js';
import { readTextFile } from './text.js';

export const LIBATION_PROVIDER_ID = 'local-libation';

/** Libation's traces: [ASIN] in names, its .metadata.json sidecar, its library export. */
export const libationDefinition = defineLocalProvider({
  id: LIBATION_PROVIDER_ID,
  description: "Libation's traces: [ASIN] in names, its .metadata.json sidecar, its library export",
  optionsSchema: localOptions(0.95, {
    /** Path to a Libation library export (CSV or JSON), optional. */
    exportPath: z.string().optional(),
  }),
  create: (options) =>
    createLibationProvider({
      weight: options.weight,
      ...(options.exportPath ? { exportPath: options.exportPath } : {}),
    }),
});

/** Libation library exports of big accounts run to megabytes; the cap is generous. */
const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export interface LibationProviderOptions {
  weight: number;
  /** A `libationcli export` file (CSV or JSON), joined by ASIN, else by title and author. */
  exportPath?: string;
}

/**
 * Libation's traces: `[ASIN]` in folder and file names, the `<file>.metadata.json` sidecar (the raw
 * Audible product it downloaded) and, when configured, its library export.
 */
export function createLibationProvider(options: LibationProviderOptions): AsyncProvider {
  const exportCache = createExportCache(options.exportPath);
  return {
    id: LIBATION_PROVIDER_ID,
    kind: 'local',
    mode: 'async',
    weight: options.weight,
    capabilities: localCapabilities(
      ['asin', 'search'],
      [...BOOK_FIELDS, 'durationSeconds', 'chapters', 'cover'],
    ),
    lookup: (ctx, { signal }) => readLibation(ctx, exportCache, signal),
  };
}

async function readLibation(
  ctx: LookupContext,
  exportCache: ExportCache,
  signal: AbortSignal,
): Promise<ProviderResult> {
  signal.throwIfAborted();
  const builder = new LocalResultBuilder(LIBATION_PROVIDER_ID);
  const listing = await itemFilesOf(ctx);
  let fromSidecar = false;
  for (const file of listing?.files ?? []) {
    signal.throwIfAborted();
    const name = path.basename(file.rel);
    if (!name.toLowerCase().endsWith('.metadata.json') || name.toLowerCase() === 'metadata.json') continue;
    try {
      const { text } = await readTextFile(file.abs);
      const fields = mapLibationProduct(JSON.parse(text), file.abs);
      builder.setAll(fields, { confidence: 0.95, source: file.abs }, { durationSeconds: 0.7 });
      fromSidecar = true;
    } catch (error) {
      builder.note(`${file.abs}: ignored Libation metadata sidecar (${describeError(error)})`);
    }
  }
  const named = nameAsin(ctx, listing?.files.map((f) => f.rel) ?? []);
  if (named) builder.set('asin', named.asin, { confidence: 0.9, source: named.source });
  const asin = builder.fields.asin ?? ctx.asin;
  signal.throwIfAborted();
  const joined = await joinExport(exportCache, asin, ctx, builder);
  if (!fromSidecar && !joined && !named) return emptyResult(LIBATION_PROVIDER_ID, undefined, builder.notes);
  const match = fromSidecar ? 0.97 : joined === 'asin' ? 0.95 : named ? 0.85 : 0.7;
  return builder.build(match, builder.fields.asin ? 'asin' : 'search');
}

/** ABS's `[ASIN]` rule on the item folder, then on the file names (Libation's `<title> [ASIN].m4b`). */
function nameAsin(ctx: LookupContext, files: string[]): { asin: string; source: string } | undefined {
  const itemPath = ctx.path ?? ctx.folderName;
  if (!itemPath) return undefined;
  const parsed = parseItemPath(itemPath, files);
  if (!parsed.asin) return undefined;
  const file = files.find((f) => f.includes(`[${parsed.asin}]`));
  const source = parsed.from.asin === 'file' && file ? path.join(itemPath, file) : itemPath;
  return { asin: parsed.asin, source: `${source} (Libation [ASIN] name)` };
}

async function joinExport(
  cache: ExportCache,
  asin: string | undefined,
  ctx: LookupContext,
  builder: LocalResultBuilder,
): Promise<'asin' | 'title' | undefined> {
  const loaded = await cache.load();
  if (loaded.error) builder.note(loaded.error);
  if (!loaded.books.length || !cache.path) return undefined;
  const byAsin = asin ? loaded.books.find((b) => b.asin === asin) : undefined;
  const title =
    builder.fields.title ?? ctx.title ?? parseItemPath(ctx.path ?? ctx.folderName ?? '', []).title;
  const author = builder.fields.authors?.[0]?.name ?? ctx.authors[0];
  const byTitle = byAsin ? undefined : findByTitle(loaded.books, title, author);
  const book = byAsin ?? byTitle;
  if (!book) return undefined;
  const source = `${cache.path} (Libation export, ${book.asin ?? book.fields.title})`;
  builder.setAll(book.fields, { confidence: byAsin ? 0.9 : 0.7, source }, { durationSeconds: 0.7 });
  return byAsin ? 'asin' : 'title';
}

function findByTitle(books: LibationExportBook[], title: string | undefined, author: string | undefined) {
  if (!title) return undefined;
  const key = simplify(title);
  const matches = books.filter((b) => b.fields.title && simplify(b.fields.title) === key);
  if (matches.length <= 1 || !author) return matches.length === 1 ? matches[0] : undefined;
  return matches.find((b) => b.fields.authors?.some((a) => simplify(a.name) === simplify(author)));
}

function simplify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

interface ExportCache {
  path?: string;
  load(): Promise<{ books: LibationExportBook[]; error?: string }>;
}

/** Loads the export once and again only when its mtime changes; a broken export is a note each time. */
function createExportCache(exportPath: string | undefined): ExportCache {
  let cached: { mtimeMs: number; books: LibationExportBook[] } | undefined;
  return {
    ...(exportPath ? { path: exportPath } : {}),
    async load() {
      if (!exportPath) return { books: [] };
      try {
        const { mtimeMs } = await stat(exportPath);
        if (cached?.mtimeMs === mtimeMs) return { books: cached.books };
        const { text } = await readTextFile(exportPath, MAX_EXPORT_BYTES);
        cached = { mtimeMs, books: parseLibationExport(text, exportPath) };
        return { books: cached.books };
      } catch (error) {
        return { books: [], error: `Libation export ${exportPath} not used (${describeError(error)})` };
      }
    },
  };
}
