import { cleanIsbn } from '../../../domain/identifiers.js';
import type { PartialMetadata, SeriesEntry } from '../../../domain/metadata.js';
import type { ProviderResult } from '../../../domain/provider-result.js';
import { cleanSequence } from '../../../matching/normalize.js';
import { cleanName, stripBookSuffix } from '../audnexus/map.js';
import { compact, type RawCandidate } from '../common.js';
import { copyrightYear, isoDate, languageName, uniqueStrings, yearOf } from '../text.js';
import type { AudibleProduct } from './schema.js';

/** Delivery types that are books; podcasts and the like are never candidates. */
const BOOK_TYPES = new Set(['SinglePartBook', 'MultiPartBook']);

/** True when the product is a real, sold book (not a placeholder, not a podcast). */
export function isBookProduct(p: AudibleProduct): boolean {
  if (!p.title?.trim()) return false;
  return !p.content_delivery_type || BOOK_TYPES.has(p.content_delivery_type);
}

/** The series named like `publication_name` first (Audible's main series), then the others. */
function seriesOf(p: AudibleProduct): {
  series: SeriesEntry[];
  raw: { name: string; position: string | null }[];
} {
  const list = [...(p.series ?? [])].filter((s) => s.title.trim());
  const main = p.publication_name?.trim().toLowerCase();
  list.sort(
    (a, b) => Number(b.title.trim().toLowerCase() === main) - Number(a.title.trim().toLowerCase() === main),
  );
  return {
    series: list.map((s) => ({ name: s.title.trim(), sequence: cleanSequence(s.sequence) })),
    raw: list.map((s) => ({ name: s.title, position: s.sequence ?? null })),
  };
}

/** Category ladders: the first node of each ladder is a genre, deeper nodes are tags. */
function categoriesOf(p: AudibleProduct): { genres: string[]; tags: string[] } {
  const ladders = (p.category_ladders ?? []).filter((l) => !l.root || l.root === 'Genres');
  const genres = uniqueStrings(ladders.map((l) => l.ladder[0]?.name));
  const genreKeys = new Set(genres.map((g) => g.toLowerCase()));
  const tags = uniqueStrings(ladders.flatMap((l) => l.ladder.slice(1).map((n) => n.name))).filter(
    (t) => !genreKeys.has(t.toLowerCase()),
  );
  return { genres, tags };
}

/** The largest product image, with its size (Audible images are square, `_SL{size}_`). */
function coverOf(p: AudibleProduct): PartialMetadata['cover'] {
  const sizes = Object.entries(p.product_images ?? {})
    .map(([size, url]) => ({ size: Number(size), url }))
    .filter((x) => Number.isInteger(x.size) && x.size > 0)
    .sort((a, b) => b.size - a.size);
  const best = sizes[0];
  return best ? { url: best.url, width: best.size, height: best.size } : undefined;
}

/** Pure: one Audible catalog product → canonical fields (null for placeholders and non-books). */
export function mapAudibleProduct(p: AudibleProduct, requestedAsin?: string): RawCandidate | null {
  if (!isBookProduct(p) || !p.title) return null;
  const asin = (p.asin ?? requestedAsin ?? '').trim().toUpperCase();
  const { series, raw: rawSeries } = seriesOf(p);
  const title = stripBookSuffix(p.title.trim(), series[0]?.sequence ?? null);
  const rating = Number(p.rating?.overall_distribution?.display_average_rating ?? Number.NaN);
  const fields = compact({
    title,
    subtitle: p.subtitle?.trim() || undefined,
    authors: (p.authors ?? [])
      .map((a) => ({ name: cleanName(a.name), ...(a.asin ? { asin: a.asin } : {}) }))
      .filter((a) => a.name),
    narrators: uniqueStrings((p.narrators ?? []).map((n) => cleanName(n.name))),
    series,
    ...categoriesOf(p),
    description: (p.publisher_summary || p.merchandising_summary || '').trim() || undefined,
    publisher: p.publisher_name?.trim() || undefined,
    publishedYear: copyrightYear(p.copyright) ?? yearOf(p.release_date),
    publishedDate: isoDate(p.release_date),
    language: languageName(p.language),
    isbn: cleanIsbn(p.isbn),
    asin: asin || undefined,
    ...(typeof p.is_adult_product === 'boolean' ? { explicit: p.is_adult_product } : {}),
    ...(p.format_type ? { abridged: p.format_type.toLowerCase() === 'abridged' } : {}),
    durationSeconds: p.runtime_length_min ? p.runtime_length_min * 60 : undefined,
    cover: coverOf(p),
    rating: rating > 0 && rating <= 5 ? rating : undefined,
  });
  const raw: ProviderResult['raw'] = {};
  if (rawSeries.length) raw.series = rawSeries;
  if (title !== p.title) raw.title = p.title;
  if (p.copyright) raw.publishedYear = { copyright: p.copyright, releaseDate: p.release_date ?? null };
  return { id: asin || title, fields, ...(Object.keys(raw).length ? { raw } : {}) };
}
