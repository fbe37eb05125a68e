import { cleanIsbn } from '../../../domain/identifiers.js';
import type { Cover, PartialMetadata } from '../../../domain/metadata.js';
import type { ProviderResult } from '../../../domain/provider-result.js';
import { compact, type RawCandidate } from '../common.js';
import { isoDate, languageName, uniqueStrings, yearOf } from '../text.js';
import type { HardcoverBook, HardcoverDocument, HardcoverEdition } from './schema.js';

type Contribution = { contribution?: string | null; author?: { name: string } | null };

/** Primary authors: contributions without a role or with "Author". */
function authorsOf(list: Contribution[] | null | undefined): string[] {
  return uniqueStrings(
    (list ?? [])
      .filter((c) => !c.contribution || /^author$/i.test(c.contribution))
      .map((c) => c.author?.name),
  );
}

/** Narrators: contributions whose role is "Narrator" (usually on the audio edition). */
function narratorsOf(...lists: (Contribution[] | null | undefined)[]): string[] {
  return uniqueStrings(
    lists
      .flatMap((l) => (l ?? []).filter((c) => /narrat/i.test(c.contribution ?? '')))
      .map((c) => c.author?.name),
  );
}

/** Top tags of some categories of `cached_tags`, most-voted first. */
function tagsOf(cached: HardcoverBook['cached_tags'], categories: string[], limit = 10): string[] {
  const list = categories.flatMap((c) => cached?.[c] ?? []);
  list.sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  return uniqueStrings(list.map((t) => t.tag)).slice(0, limit);
}

function coverOf(
  image: { url?: string | null; width?: number | null; height?: number | null } | null | undefined,
): Cover | undefined {
  if (!image?.url) return undefined;
  return {
    url: image.url,
    ...(image.width && image.width > 0 ? { width: Math.round(image.width) } : {}),
    ...(image.height && image.height > 0 ? { height: Math.round(image.height) } : {}),
  };
}

function fromEdition(e: HardcoverEdition | null | undefined): PartialMetadata {
  if (!e) return {};
  return compact({
    asin: e.asin?.trim().toUpperCase() || undefined,
    isbn: cleanIsbn(e.isbn_13) ?? cleanIsbn(e.isbn_10),
    publisher: e.publisher?.name?.trim() || undefined,
    publishedDate: isoDate(e.release_date),
    language: languageName(e.language?.language ?? e.language?.code2),
    durationSeconds: e.audio_seconds && e.audio_seconds > 0 ? e.audio_seconds : undefined,
    cover: coverOf(e.image),
  });
}

/**
 * Pure: a Hardcover book (with the matched edition, else its default audio edition) → canonical
 * fields. Series positions are numbers; the free-text `details` ("1-3") is kept as raw.
 */
export function mapHardcoverBook(book: HardcoverBook): RawCandidate {
  const edition = book.editions?.[0] ?? book.default_audio_edition ?? undefined;
  const series = (book.book_series ?? []).filter((s) => s.series?.name?.trim());
  const fields = compact({
    title: book.title?.trim() || undefined,
    subtitle: book.subtitle?.trim() || undefined,
    authors: authorsOf(book.contributions).map((name) => ({ name })),
    narrators: narratorsOf(
      edition?.contributions,
      book.default_audio_edition?.contributions,
      book.contributions,
    ),
    series: series.map((s) => ({
      name: s.series?.name.trim() ?? '',
      sequence: s.position === null || s.position === undefined ? null : String(s.position),
    })),
    genres: tagsOf(book.cached_tags, ['Genre'], 5),
    tags: tagsOf(book.cached_tags, ['Tag', 'Mood']),
    description: book.description?.trim() || undefined,
    publishedYear: book.release_year ? String(book.release_year) : yearOf(book.release_date),
    rating: book.rating && book.rating > 0 && book.rating <= 5 ? book.rating : undefined,
    durationSeconds: book.audio_seconds && book.audio_seconds > 0 ? book.audio_seconds : undefined,
    cover: coverOf(book.image),
    ...fromEdition(edition),
  });
  const raw: ProviderResult['raw'] = {};
  if (series.length)
    raw.series = series.map((s) => ({
      name: s.series?.name,
      position: s.position ?? null,
      details: s.details ?? null,
    }));
  return {
    id: String(book.id),
    fields,
    sourceRef: `https://hardcover.app/id/book/${book.id}`,
    ...(Object.keys(raw).length ? { raw } : {}),
  };
}

/** Pure: a search document → candidate fields (details are fetched for the chosen one). */
export function mapHardcoverDocument(doc: HardcoverDocument): RawCandidate {
  const featured = doc.featured_series?.series?.name;
  const position = doc.featured_series?.position ?? doc.featured_series_position;
  const authors = authorsOf(doc.contributions);
  const fields = compact({
    title: doc.title?.trim() || undefined,
    subtitle: doc.subtitle?.trim() || undefined,
    authors: (authors.length ? authors : uniqueStrings(doc.author_names ?? [])).map((name) => ({ name })),
    narrators: narratorsOf(doc.contributions),
    series: featured
      ? [{ name: featured, sequence: position === null || position === undefined ? null : String(position) }]
      : undefined,
    genres: uniqueStrings(doc.genres ?? []).slice(0, 5),
    tags: uniqueStrings([...(doc.tags ?? []), ...(doc.moods ?? [])]).slice(0, 10),
    description: doc.description?.trim() || undefined,
    publishedYear: doc.release_year ? String(doc.release_year) : yearOf(doc.release_date),
    durationSeconds: doc.audio_seconds && doc.audio_seconds > 0 ? doc.audio_seconds : undefined,
    rating: doc.rating && doc.rating > 0 && doc.rating <= 5 ? doc.rating : undefined,
    cover: coverOf(doc.image),
  });
  return { id: doc.id, fields, sourceRef: `https://hardcover.app/id/book/${doc.id}` };
}
