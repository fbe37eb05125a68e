import { htmlToPlainText } from '../../src/formats/html.js';

/** What the fake stores per item: ABS's plain item plus the numbers the expanded form adds. */
export interface FakeMetadata {
  title: string | null;
  subtitle: string | null;
  authors: { id: string; name: string }[];
  narrators: string[];
  series: { id: string; name: string; sequence: string | null }[];
  genres: string[];
  publishedYear: string | null;
  publishedDate: string | null;
  publisher: string | null;
  description: string | null;
  isbn: string | null;
  asin: string | null;
  language: string | null;
  explicit: boolean;
  abridged: boolean;
}

export interface FakeChapter {
  id: number;
  start: number;
  end: number;
  title: string;
}

export interface FakeItem {
  id: string;
  ino: string;
  oldLibraryItemId: null;
  libraryId: string;
  folderId: string;
  path: string;
  relPath: string;
  isFile: boolean;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  addedAt: number;
  updatedAt: number;
  lastScan: number;
  scanVersion: string;
  isMissing: boolean;
  isInvalid: boolean;
  mediaType: 'book';
  media: {
    id: string;
    libraryItemId: string;
    metadata: FakeMetadata;
    coverPath: string | null;
    tags: string[];
    audioFiles: unknown[];
    chapters: FakeChapter[];
    ebookFile: unknown;
    duration: number;
    size: number;
    tracks: unknown[];
  };
  libraryFiles: unknown[];
  size: number;
  numFiles: number;
}

const DERIVED_METADATA = [
  'titleIgnorePrefix',
  'authorName',
  'authorNameLF',
  'narratorName',
  'seriesName',
  'descriptionPlain',
];

/** Turns a recorded ABS item (plain or expanded) into the fake's stored form. */
export function fromRecorded(raw: Record<string, unknown>): FakeItem {
  const item = structuredClone(raw) as unknown as FakeItem & Record<string, unknown>;
  for (const key of ['userMediaProgress', 'rssFeed', 'mediaItemShare']) delete item[key];
  const meta = item.media.metadata as unknown as Record<string, unknown>;
  for (const key of DERIVED_METADATA) delete meta[key];
  const media = item.media as unknown as Record<string, unknown>;
  for (const key of ['numTracks', 'numAudioFiles', 'numChapters']) delete media[key];
  media.duration ??= 0;
  media.size ??= 0;
  media.tracks ??= [];
  item.size ??= 0;
  item.numFiles ??= item.libraryFiles?.length ?? 0;
  return item;
}

/** ABS's `titleIgnorePrefix` with the default sorting prefixes ("the", "a"). */
export function titleIgnorePrefix(title: string | null): string | null {
  if (!title) return title;
  const m = /^(the|a)\s+(.+)$/i.exec(title);
  return m ? `${m[2]}, ${m[1]}` : title;
}

function lastFirst(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name;
  const last = parts.pop() as string;
  return `${last}, ${parts.join(' ')}`;
}

const plainCache = new Map<string, string>();
/** descriptionPlain is derived for every event and listing: cache it (sanitize-html is slow). */
function plainCached(html: string): string {
  let out = plainCache.get(html);
  if (out === undefined) {
    out = htmlToPlainText(html);
    if (plainCache.size >= 2000) plainCache.delete(plainCache.keys().next().value as string);
    plainCache.set(html, out);
  }
  return out;
}

function derivedMetadata(m: FakeMetadata) {
  return {
    titleIgnorePrefix: titleIgnorePrefix(m.title),
    authorName: m.authors.map((a) => a.name).join(', '),
    authorNameLF: m.authors.map((a) => lastFirst(a.name)).join(', '),
    narratorName: m.narrators.join(', '),
    seriesName: m.series.map((s) => (s.sequence ? `${s.name} #${s.sequence}` : s.name)).join(', '),
    descriptionPlain: m.description ? plainCached(m.description) : m.description,
  };
}

/** `GET /api/items/:id` (toOldJSON): no derived fields, no sizes. */
export function toPlain(item: FakeItem): Record<string, unknown> {
  const { size: _s, numFiles: _n, media, ...top } = structuredClone(item);
  const { duration: _d, size: _ms, tracks: _t, ...plainMedia } = media;
  return { ...top, media: plainMedia };
}

/** `?expanded=1` and socket payloads (toOldJSONExpanded). */
export function toExpanded(item: FakeItem): Record<string, unknown> {
  const copy = structuredClone(item);
  const { metadata, ...media } = copy.media;
  return {
    ...copy,
    media: {
      ...media,
      metadata: { ...metadata, ...derivedMetadata(metadata) },
      numTracks: media.tracks.length,
      numAudioFiles: media.audioFiles.length,
      numChapters: media.chapters.length,
    },
  };
}

/** Listing form (toOldJSONMinified): name strings instead of arrays, no files. */
export function toMinified(item: FakeItem): Record<string, unknown> {
  const { libraryFiles: _l, media, lastScan: _ls, scanVersion: _sv, ...top } = structuredClone(item);
  const m = media.metadata;
  const d = derivedMetadata(m);
  return {
    ...top,
    media: {
      id: media.id,
      metadata: {
        title: m.title,
        titleIgnorePrefix: d.titleIgnorePrefix,
        subtitle: m.subtitle,
        authorName: d.authorName,
        authorNameLF: d.authorNameLF,
        narratorName: d.narratorName,
        seriesName: d.seriesName,
        genres: m.genres,
        publishedYear: m.publishedYear,
        publishedDate: m.publishedDate,
        publisher: m.publisher,
        description: m.description,
        isbn: m.isbn,
        asin: m.asin,
        language: m.language,
        explicit: m.explicit,
        abridged: m.abridged,
      },
      coverPath: media.coverPath,
      tags: media.tags,
      numTracks: media.tracks.length,
      numAudioFiles: media.audioFiles.length,
      numChapters: media.chapters.length,
      duration: media.duration,
      size: media.size,
    },
  };
}

/** The metadata.json ABS writes (exact key order, series as "Name #seq", 2-space indent, no newline). */
export function absSidecarJson(item: FakeItem): string {
  const m = item.media.metadata;
  const doc = {
    tags: item.media.tags,
    chapters: item.media.chapters.map(({ start, end, title, id }) => ({ start, end, title, id })),
    title: m.title,
    subtitle: m.subtitle,
    authors: m.authors.map((a) => a.name),
    narrators: m.narrators,
    series: m.series.map((s) => (s.sequence ? `${s.name} #${s.sequence}` : s.name)),
    genres: m.genres,
    publishedYear: m.publishedYear,
    publishedDate: m.publishedDate,
    publisher: m.publisher,
    description: m.description,
    isbn: m.isbn,
    asin: m.asin,
    language: m.language,
    explicit: m.explicit,
    abridged: m.abridged,
  };
  return JSON.stringify(doc, null, 2);
}
