import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AbsNotFoundError } from '../../../src/abs/client.js';
import { type AbsLibraryItem, AbsLibraryItemSchema } from '../../../src/abs/schemas.js';
import { createLibraryTidy, type LibraryTidy } from '../../../src/bridge/reports/library-tidy.js';
import { openRuntimeSettings, type RuntimeSettings } from '../../../src/bridge/state/runtime-settings.js';
import { type ConfigInput, ConfigSchema } from '../../../src/config/schema.js';

/** One book as ABS's minified listing gives it. */
function book(
  id: string,
  title: string,
  m: Record<string, unknown>,
  extra: { coverPath?: string; numChapters?: number; tags?: string[] } = {},
): AbsLibraryItem {
  return AbsLibraryItemSchema.parse({
    id,
    libraryId: 'lib_books',
    path: `/audiobooks/${title}`,
    mediaType: 'book',
    media: { metadata: { title, ...m }, tags: extra.tags ?? [], ...extra },
  });
}

const FULL = {
  authorName: 'Andy Weir',
  narratorName: 'Ray Porter',
  description: '<p>A lone astronaut must save the earth from a dimming sun.</p>',
  asin: 'B08G9PRS1K',
  publishedYear: '2021',
  publisher: 'Audible Studios',
  language: 'English',
};

/**
 * The "Audiobooks" library the page tests tidy: one complete book, the rest missing covers,
 * chapters, descriptions or series positions, and messy provider genres.
 */
export const TIDY_BOOKS: AbsLibraryItem[] = [
  book(
    'li_full',
    'Project Hail Mary',
    { ...FULL, genres: ['Science Fiction'] },
    {
      coverPath: '/metadata/items/li_full/cover.jpg',
      numChapters: 20,
    },
  ),
  book(
    'li_sff',
    'The Way of Kings',
    {
      ...FULL,
      authorName: 'Brandon Sanderson',
      asin: 'B003P2WO5E',
      genres: ['Science Fiction & Fantasy', 'Unabridged'],
      seriesName: 'The Stormlight Archive',
    },
    { coverPath: '/metadata/items/li_sff/cover.jpg', numChapters: 30, tags: ['to-read'] },
  ),
  book(
    'li_nocover',
    'Dune',
    { ...FULL, authorName: 'Frank Herbert', asin: 'B002V1OF70', genres: ['Sci-Fi', 'Audible Original'] },
    { numChapters: 40 },
  ),
  book('li_bare', 'Unknown Book', { genres: ['Mystery'] }),
];

export interface TidyLibrary {
  tidy: LibraryTidy;
  settings: RuntimeSettings;
  dataDir: string;
  close(): Promise<void>;
}

/** The real tidy service over an in-memory ABS listing and a settings.json in a temp folder. */
export async function startTidyLibrary(
  config: Partial<ConfigInput> = {},
  books: AbsLibraryItem[] = TIDY_BOOKS,
): Promise<TidyLibrary> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bridge-tidy-'));
  const parsed = ConfigSchema.parse({ ...config, dataDir });
  const settings = openRuntimeSettings(dataDir);
  const abs = {
    async *iterateLibraryItems(libraryId: string) {
      if (libraryId !== 'lib_books') throw new AbsNotFoundError(`library ${libraryId}`);
      yield* books;
    },
  };
  return {
    tidy: createLibraryTidy({ abs, config: parsed, settings }),
    settings,
    dataDir,
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}
