import { cleanIsbn } from '../../../domain/identifiers.js';
import type { PartialMetadata, SeriesEntry } from '../../../domain/metadata.js';
import type { ProviderResult } from '../../../domain/provider-result.js';
import { cleanSequence } from '../../../matching/normalize.js';
import { compact, type RawCandidate } from '../common.js';
import { isoDate, languageName, uniqueStrings, yearOf } from '../text.js';
import type { AudnexusBook } from './schema.js';

/** Drops stray unbalanced brackets Audible leaves in names ("Stanford University)"). */
export function cleanName(name: string): string {
  let out = name.trim();
  if (out.endsWith(')') && !out.includes('(')) out = out.slice(0, -1).trim();
  if (out.startsWith('(') && !out.includes(')')) out = out.slice(1).trim();
  return out;
}

/** "Title, Book 1" loses its ", Book N" suffix when N is the primary series position. */
export function stripBookSuffix(title: string, sequence: string | null): string {
  const match = /,\s*(?:Book|Volume|Vol\.?|Part|Band|Tome|Tomo|Libro)\s+(\d+(?:\.\d+)?)\s*$/i.exec(title);
  if (!match || sequence === null || cleanSequence(match[1]) !== sequence) return title;
  return title.slice(0, match.index).trim();
}

function seriesOf(book: AudnexusBook): {
  series: SeriesEntry[];
  raw: { name: string; position: string | null }[];
} {
  const entries = [book.seriesPrimary, book.seriesSecondary].filter((s) => s?.name.trim()) as {
    name: string;
    position?: string | null;
  }[];
  return {
    series: entries.map((s) => ({ name: s.name.trim(), sequence: cleanSequence(s.position) })),
    raw: entries.map((s) => ({ name: s.name, position: s.position ?? null })),
  };
}

/** Pure: one Audnexus book → canonical fields, with the raw series text and title kept for provenance. */
export function mapAudnexusBook(book: AudnexusBook): RawCandidate {
  const { series, raw: rawSeries } = seriesOf(book);
  const title = stripBookSuffix(book.title.trim(), series[0]?.sequence ?? null);
  const genres = uniqueStrings((book.genres ?? []).filter((g) => g.type === 'genre').map((g) => g.name));
  const genreKeys = new Set(genres.map((g) => g.toLowerCase()));
  const tags = uniqueStrings(
    (book.genres ?? [])
      .filter((g) => g.type === 'tag' && !genreKeys.has(g.name.toLowerCase()))
      .map((g) => g.name),
  );
  const rating = book.rating ? Number(book.rating) : undefined;
  const fields: PartialMetadata = compact({
    title,
    subtitle: book.subtitle?.trim() || undefined,
    authors: book.authors
      .map((a) => ({ name: cleanName(a.name), ...(a.asin ? { asin: a.asin } : {}) }))
      .filter((a) => a.name),
    narrators: uniqueStrings((book.narrators ?? []).map((n) => cleanName(n.name))),
    series,
    genres,
    tags,
    description: (book.summary || book.description || '').trim() || undefined,
    publisher: book.publisherName?.trim() || undefined,
    publishedYear: book.copyright ? String(book.copyright) : yearOf(book.releaseDate),
    publishedDate: isoDate(book.releaseDate),
    language: languageName(book.language),
    isbn: cleanIsbn(book.isbn),
    asin: book.asin.trim().toUpperCase(),
    ...(typeof book.isAdult === 'boolean' ? { explicit: book.isAdult } : {}),
    ...(book.formatType ? { abridged: book.formatType.toLowerCase() === 'abridged' } : {}),
    durationSeconds: book.runtimeLengthMin ? book.runtimeLengthMin * 60 : undefined,
    cover: book.image ? { url: book.image } : undefined,
    rating: rating && rating > 0 && rating <= 5 ? rating : undefined,
  });
  const raw: ProviderResult['raw'] = {};
  if (rawSeries.length) raw.series = rawSeries;
  if (title !== book.title) raw.title = book.title;
  if (book.releaseDate)
    raw.publishedYear = { copyright: book.copyright ?? null, releaseDate: book.releaseDate };
  return { id: fields.asin ?? book.asin, fields, ...(Object.keys(raw).length ? { raw } : {}) };
}
