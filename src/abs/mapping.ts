import type { Chapter, PartialMetadata, Person, SeriesEntry } from '../domain/metadata.js';
import type { AbsBookMetadata, AbsLibraryItem } from './schemas.js';

/** What the bridge needs from one ABS item, whatever form (plain, expanded, minified) it came in. */
export interface AbsItemView {
  itemId: string;
  libraryId: string;
  /** ABS's current values as canonical metadata (absent = empty in ABS). */
  metadata: PartialMetadata;
  tags: string[];
  chapters: Chapter[];
  /** `none`, `per-file` (one chapter per audio file, as ABS makes them), or `real`. */
  chapterKind: 'none' | 'per-file' | 'real';
  durationSeconds: number | undefined;
  coverPath: string | null;
  /** ABS's absolute folder path (map it with PathMapper before touching files). */
  path: string;
  relPath: string | undefined;
  isMissing: boolean;
  /** From a listing: authors/narrators/series were rebuilt from joined strings; re-read expanded before writing. */
  minified: boolean;
  audioFiles: { path: string; duration: number | undefined }[];
}

const str = (v: string | null | undefined): string | undefined =>
  v == null || v.trim() === '' ? undefined : v;
const splitNames = (v: string | null | undefined): string[] =>
  str(v)
    ?.split(', ')
    .map((s) => s.trim())
    .filter(Boolean) ?? [];

/** `"Name #1, Other"` → entries; only for minified listings (names containing ", " are ambiguous). */
export function parseSeriesName(joined: string | null | undefined): SeriesEntry[] {
  return splitNames(joined).map((part) => {
    const m = /^(.*?) #([^#]+)$/.exec(part);
    return m
      ? { name: (m[1] as string).trim(), sequence: (m[2] as string).trim() }
      : { name: part, sequence: null };
  });
}

function people(meta: AbsBookMetadata): {
  authors: Person[];
  narrators: string[];
  series: SeriesEntry[];
  minified: boolean;
} {
  const minified = meta.authors === undefined && meta.authorName !== undefined;
  if (minified) {
    return {
      authors: splitNames(meta.authorName).map((name) => ({ name })),
      narrators: splitNames(meta.narratorName),
      series: parseSeriesName(meta.seriesName),
      minified,
    };
  }
  return {
    authors: (meta.authors ?? []).filter((a) => a.name.trim()).map((a) => ({ name: a.name })),
    narrators: (meta.narrators ?? []).filter((n) => n.trim()),
    series: (meta.series ?? [])
      .filter((s) => s.name.trim())
      .map((s) => ({ name: s.name, sequence: s.sequence ?? null })),
    minified,
  };
}

/** ABS metadata → canonical fields (pure). Empty ABS values are left out. */
export function absMetadataToCanonical(meta: AbsBookMetadata, tags: string[] = []): PartialMetadata {
  const out: PartialMetadata = {};
  const { authors, narrators, series } = people(meta);
  const strings = [
    'title',
    'subtitle',
    'description',
    'publisher',
    'publishedYear',
    'publishedDate',
    'language',
    'isbn',
    'asin',
  ] as const;
  for (const key of strings) {
    const value = str(meta[key]);
    if (value !== undefined) out[key] = value;
  }
  if (authors.length) out.authors = authors;
  if (narrators.length) out.narrators = narrators;
  if (series.length) out.series = series;
  if (meta.genres?.length) out.genres = [...meta.genres];
  if (tags.length) out.tags = [...tags];
  if (meta.explicit !== undefined) out.explicit = meta.explicit;
  if (meta.abridged !== undefined) out.abridged = meta.abridged;
  return out;
}

/** Classifies ABS chapters: per-file ones start exactly where each audio file starts. */
export function classifyChapters(
  chapters: Chapter[],
  fileDurations: (number | undefined)[],
): AbsItemView['chapterKind'] {
  if (chapters.length === 0) return 'none';
  if (fileDurations.length < 2 || chapters.length !== fileDurations.length) return 'real';
  let start = 0;
  for (const [i, chapter] of chapters.entries()) {
    if (Math.abs(chapter.start - start) > 1) return 'real';
    start += fileDurations[i] ?? Number.NaN;
  }
  return 'per-file';
}

/** Any ABS item (plain, expanded, minified, socket payload) → the bridge's view (pure). */
export function fromAbsItem(item: AbsLibraryItem): AbsItemView {
  const media = item.media;
  const tags = media.tags ?? [];
  const chapters = (media.chapters ?? []).map(({ start, end, title }) => ({ start, end, title }));
  const files = (media.audioFiles ?? [])
    .filter((f) => !f.exclude)
    .map((f) => ({ path: f.metadata.path, duration: f.duration ?? undefined }));
  const summed = files.reduce((acc, f) => acc + (f.duration ?? 0), 0);
  const durationSeconds = media.duration ?? (summed > 0 ? summed : undefined);
  const metadata = absMetadataToCanonical(media.metadata, tags);
  if (durationSeconds !== undefined) metadata.durationSeconds = durationSeconds;
  if (chapters.length) metadata.chapters = chapters;
  return {
    itemId: item.id,
    libraryId: item.libraryId,
    metadata,
    tags,
    chapters,
    chapterKind: classifyChapters(
      chapters,
      files.map((f) => f.duration),
    ),
    durationSeconds,
    coverPath: media.coverPath ?? null,
    path: item.path,
    relPath: item.relPath,
    isMissing: item.isMissing,
    minified: people(media.metadata).minified,
    audioFiles: files,
  };
}
