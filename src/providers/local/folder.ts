import path from 'node:path';
import { emptyResult } from '../../domain/provider-result.js';
import type { SyncProvider } from '../types.js';
import { defineLocalProvider, localCapabilities, localOptions } from './define.js';
import { type FolderParse, type NamePart, parseItemPath, pathSegments } from './folder-parse.js';
import { toPeople } from './names.js';
import { LocalResultBuilder } from './result.js';

export const FOLDER_PROVIDER_ID = 'local-folder';

/** Title, author, series, narrator and identifiers read from folder and file names. */
export const folderDefinition = defineLocalProvider({
  id: FOLDER_PROVIDER_ID,
  description: 'Title, author, series, narrator and identifiers read from folder and file names',
  optionsSchema: localOptions(0.5, {}),
  create: (options) => createFolderProvider({ weight: options.weight }),
});

/** Trust per field read from a name: identifiers in brackets are deliberate, titles are guesses. */
const FIELD_CONFIDENCE = {
  title: 0.6,
  subtitle: 0.4,
  authors: 0.55,
  narrators: 0.6,
  series: 0.5,
  asin: 0.9,
  isbn: 0.85,
  publishedYear: 0.45,
  abridged: 0.6,
} as const;

/**
 * Reads title, author, series, narrator and identifiers from the item folder's path and file
 * names. Pure string work on `ctx.path`/`ctx.fileNames`, so it runs synchronously.
 */
export function createFolderProvider(options: { weight: number }): SyncProvider {
  return {
    id: FOLDER_PROVIDER_ID,
    kind: 'local',
    mode: 'sync',
    weight: options.weight,
    capabilities: localCapabilities(
      ['search'],
      ['title', 'subtitle', 'authors', 'narrators', 'series', 'asin', 'isbn', 'publishedYear'],
    ),
    lookupSync(ctx) {
      const itemPath = ctx.path ?? ctx.folderName;
      if (!itemPath) return emptyResult(FOLDER_PROVIDER_ID);
      const parsed = parseItemPath(itemPath, ctx.fileNames);
      return toResult(parsed, itemPath, ctx.fileNames);
    },
  };
}

/** Maps a parse to a result whose provenance names the folder or file each value came from. */
export function toResult(parsed: FolderParse, itemPath: string, fileNames: readonly string[]) {
  const builder = new LocalResultBuilder(FOLDER_PROVIDER_ID);
  const sourceOf = (part: NamePart | undefined): string => {
    const segments = pathSegments(itemPath);
    if (part === 'parent') return path.dirname(itemPath);
    if (part === 'grandparent') return path.dirname(path.dirname(itemPath));
    if (part === 'file') {
      const file = fileNames.find((f) => parsed.asin && f.includes(parsed.asin)) ?? fileNames[0] ?? '';
      return path.join(itemPath, file);
    }
    return segments.length ? itemPath : '';
  };
  const origin = (field: keyof typeof FIELD_CONFIDENCE, part: NamePart | undefined) => ({
    confidence: FIELD_CONFIDENCE[field],
    source: `${sourceOf(part)} (folder name)`,
  });
  builder.set('title', parsed.title, origin('title', parsed.from.title));
  builder.set('subtitle', parsed.subtitle, origin('subtitle', parsed.from.title));
  builder.set('authors', toPeople(parsed.authors), origin('authors', parsed.from.authors));
  builder.set('narrators', parsed.narrators, origin('narrators', parsed.from.narrators));
  builder.set('series', parsed.series ? [parsed.series] : undefined, origin('series', parsed.from.series));
  builder.set('asin', parsed.asin, origin('asin', parsed.from.asin));
  builder.set('isbn', parsed.isbn, origin('isbn', parsed.from.isbn));
  builder.set('publishedYear', parsed.publishedYear, origin('publishedYear', parsed.from.publishedYear));
  builder.set('abridged', parsed.abridged, origin('abridged', 'folder'));
  // A bracketed ASIN is a deliberate identifier (Libation, ABS); a bare title is only a guess.
  const match = parsed.asin ? 0.85 : parsed.isbn ? 0.8 : parsed.authors.length ? 0.6 : 0.5;
  return builder.build(match, parsed.asin ? 'asin' : parsed.isbn ? 'isbn' : 'search');
}
