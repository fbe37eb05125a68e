import { hasValue } from '../../domain/metadata.js';
import type { AbsItem } from '../ports.js';

/**
 * How complete a book's metadata is in ABS, from the minified listing (no extra request per book):
 * which fields are missing and which are weak, and a 0–100 score weighted by what a listener
 * misses most (cover, author, chapters first). Used by `abs-bridge completeness`, `GET
 * /api/completeness` and `match --library <id> --incomplete`.
 */
export interface Completeness {
  itemId: string;
  title?: string;
  score: number;
  missing: string[];
  weak: string[];
}

const WEIGHTS = {
  title: 10,
  authors: 15,
  cover: 15,
  narrators: 10,
  chapters: 10,
  description: 10,
  identifier: 10,
  publishedYear: 5,
  publisher: 5,
  genres: 5,
  language: 5,
} as const;
const TOTAL = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
const WEAK_SERIES = 'series position';
const WEAK_DESCRIPTION = 'description (very short)';

/** Every name a book can miss or be weak in (the page's "missing …" filter). */
export const COMPLETENESS_FIELDS: readonly string[] = [
  ...Object.keys(WEIGHTS),
  WEAK_SERIES,
  WEAK_DESCRIPTION,
];

/** Fields and their presence, from any item form (minified listing, plain or expanded). */
export function completenessOf(item: AbsItem): Completeness {
  const m = item.media.metadata as Record<string, unknown>;
  const media = item.media as Record<string, unknown>;
  const chapters = (media.numChapters as number | undefined) ?? item.media.chapters?.length ?? 0;
  const present: Record<keyof typeof WEIGHTS, boolean> = {
    title: hasValue(m.title),
    authors: hasValue(m.authorName) || hasValue(m.authors),
    cover: hasValue(item.media.coverPath),
    narrators: hasValue(m.narratorName) || hasValue(m.narrators),
    chapters: chapters > 1,
    description: hasValue(m.description),
    identifier: hasValue(m.asin) || hasValue(m.isbn),
    publishedYear: hasValue(m.publishedYear),
    publisher: hasValue(m.publisher),
    genres: hasValue(m.genres),
    language: hasValue(m.language),
  };
  const missing = (Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]).filter((k) => !present[k]);
  const weak: string[] = [];
  const seriesNames = String(m.seriesName ?? '');
  const seriesList = (m.series as { sequence?: string | null }[] | undefined) ?? [];
  if ((seriesNames && !seriesNames.includes('#')) || seriesList.some((s) => !s.sequence))
    weak.push(WEAK_SERIES);
  const description = String(m.description ?? '');
  if (description && description.replace(/<[^>]+>/g, '').trim().length < 40) weak.push(WEAK_DESCRIPTION);
  const lost = missing.reduce((sum, k) => sum + WEIGHTS[k as keyof typeof WEIGHTS], 0) + weak.length * 2.5;
  const title = typeof m.title === 'string' ? m.title : undefined;
  return {
    itemId: item.id,
    ...(title ? { title } : {}),
    score: Math.max(0, Math.round(((TOTAL - lost) / TOTAL) * 100)),
    missing,
    weak,
  };
}

export interface CompletenessSummary {
  books: number;
  averageScore: number;
  complete: number;
  /** How many books miss each field, most first. */
  missing: Record<string, number>;
}

export function summarize(all: readonly Completeness[]): CompletenessSummary {
  const counts = new Map<string, number>();
  for (const c of all) for (const f of [...c.missing, ...c.weak]) counts.set(f, (counts.get(f) ?? 0) + 1);
  return {
    books: all.length,
    averageScore: all.length ? Math.round(all.reduce((s, c) => s + c.score, 0) / all.length) : 100,
    complete: all.filter((c) => c.score === 100).length,
    missing: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])),
  };
}
