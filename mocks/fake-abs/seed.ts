import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FakeItem, fromRecorded } from './model.js';

/** The default library, as recorded (`16c_libraries_final.json`). */
export const DEFAULT_LIBRARY_ID = 'ca86fb00-b081-49f2-ad0c-6270a6c602e5';
export const DEFAULT_FOLDER_ID = '3ea68387-ef5a-4ec1-a52e-b2941116cbc2';

export interface FakeLibrary {
  id: string;
  name: string;
  mediaType: 'book' | 'podcast';
  folders: { id: string; fullPath: string; libraryId: string; addedAt: number }[];
  provider: string;
  settings: Record<string, unknown>;
  [key: string]: unknown;
}

/** A new book folder as the watcher would find it. Only `title` is required. */
export interface FolderSpec {
  title: string;
  author?: string;
  narrator?: string;
  series?: string;
  sequence?: string;
  subtitle?: string;
  asin?: string;
  isbn?: string;
  publishedYear?: string;
  description?: string;
  genres?: string[];
  tags?: string[];
  /** Seconds. @default 3600 */
  duration?: number;
  /** Relative to the library folder. @default `<author>/<title>` */
  relPath?: string;
  libraryId?: string;
  /** Per-file chapters ABS would read from the audio (none by default). */
  chapters?: { start: number; end: number; title: string }[];
}

const FIXTURE_DIR = fileURLToPath(new URL('../../test/fixtures/abs/', import.meta.url));

/** Recorded first-scan states of the six test books (expanded captures). */
export const SEED_FIXTURES = [
  '20b_item_get_expanded_phm.json',
  '20c_item_get_expanded_wok.json',
  '20d_item_get_expanded_dune.json',
  '20e_item_get_expanded_asr.json',
  '20f_item_get_expanded_psalm.json',
  '24_item_final_expanded_cot.json',
];

/** Loads a recorded item fixture by file name. */
export function loadRecordedItem(name: string): FakeItem {
  const raw = JSON.parse(readFileSync(`${FIXTURE_DIR}${name}`, 'utf8')) as Record<string, unknown>;
  return fromRecorded(raw);
}

export function defaultLibrary(id = DEFAULT_LIBRARY_ID, name = 'Audiobooks'): FakeLibrary {
  const now = Date.now();
  return {
    id,
    name,
    mediaType: 'book',
    folders: [
      {
        id: id === DEFAULT_LIBRARY_ID ? DEFAULT_FOLDER_ID : randomUUID(),
        fullPath: '/audiobooks',
        libraryId: id,
        addedAt: now,
      },
    ],
    displayOrder: 1,
    icon: 'audiobookshelf',
    provider: 'audible',
    settings: {
      coverAspectRatio: 1,
      disableWatcher: false,
      metadataPrecedence: [
        'folderStructure',
        'audioMetatags',
        'nfoFile',
        'txtFiles',
        'opfFile',
        'absMetadata',
      ],
    },
    lastScan: now,
    lastScanVersion: '2.36.0',
    createdAt: now,
    lastUpdate: now,
  };
}

let inoCounter = 3_000_000;

/** Builds a freshly scanned item from a folder spec (ids are new UUIDs). */
export function itemFromSpec(
  spec: FolderSpec,
  library: FakeLibrary,
  authorId: (name: string) => string,
  seriesId: (name: string) => string,
): FakeItem {
  const id = randomUUID();
  const now = Date.now();
  const author = spec.author ?? 'Unknown Author';
  const folder = library.folders[0] ?? { id: randomUUID(), fullPath: '/audiobooks' };
  const relPath = spec.relPath ?? `${author}/${spec.title}`;
  const path = `${folder.fullPath}/${relPath}`;
  const duration = spec.duration ?? 3600;
  const fileName = `${spec.title}.m4b`;
  const fileMeta = {
    filename: fileName,
    ext: '.m4b',
    path: `${path}/${fileName}`,
    relPath: fileName,
    size: 1_000_000,
    mtimeMs: now,
    ctimeMs: now,
    birthtimeMs: now,
  };
  const ino = String(inoCounter++);
  const chapters = (spec.chapters ?? []).map((c, i) => ({ id: i, ...c }));
  return {
    id,
    ino: String(inoCounter++),
    oldLibraryItemId: null,
    libraryId: library.id,
    folderId: folder.id,
    path,
    relPath,
    isFile: false,
    mtimeMs: now,
    ctimeMs: now,
    birthtimeMs: now,
    addedAt: now,
    updatedAt: now,
    lastScan: now,
    scanVersion: '2.36.0',
    isMissing: false,
    isInvalid: false,
    mediaType: 'book',
    media: {
      id: randomUUID(),
      libraryItemId: id,
      metadata: {
        title: spec.title,
        subtitle: spec.subtitle ?? null,
        authors: spec.author ? [{ id: authorId(spec.author), name: spec.author }] : [],
        narrators: spec.narrator ? [spec.narrator] : [],
        series: spec.series
          ? [{ id: seriesId(spec.series), name: spec.series, sequence: spec.sequence ?? null }]
          : [],
        genres: spec.genres ?? [],
        publishedYear: spec.publishedYear ?? null,
        publishedDate: null,
        publisher: null,
        description: spec.description ?? null,
        isbn: spec.isbn ?? null,
        asin: spec.asin ?? null,
        language: null,
        explicit: false,
        abridged: false,
      },
      coverPath: null,
      tags: spec.tags ?? [],
      audioFiles: [
        { index: 1, ino, metadata: fileMeta, duration, chapters, exclude: false, error: null, codec: 'aac' },
      ],
      chapters,
      ebookFile: null,
      duration,
      size: fileMeta.size,
      tracks: [],
    },
    libraryFiles: [
      { ino, metadata: fileMeta, isSupplementary: null, addedAt: now, updatedAt: now, fileType: 'audio' },
    ],
    size: fileMeta.size,
    numFiles: 1,
  };
}

/** A deterministic spec for synthetic bulk items (`addItems(n)`, the benchmark). */
export function syntheticSpec(n: number): FolderSpec {
  const author = `Author ${String(n % 997).padStart(3, '0')}`;
  return { title: `Synthetic Book ${n}`, author, duration: 3600 + (n % 50) * 60 };
}
