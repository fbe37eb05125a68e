import { foldText, normalizeTitle, splitSubtitle, stripTitleNoise } from './normalize.js';

/** One way of reading a raw title, with how much to trust a match found through it. */
export interface TitleVariant {
  /** Raw-ish text for a search query (noise stripped, not folded). */
  query: string;
  /** Normalised form for comparison. */
  norm: string;
  /** 1 for the title as given; below 1 for readings that dropped something. */
  weight: number;
  /** What produced the variant, for explanations. */
  kind: 'full' | 'main' | 'series-shaped' | 'author-stripped' | 'track-stripped';
}

/** "Series 03 - Title", "Series #3: Title", "Series Book 3 - Title" → series, sequence and title. */
const SERIES_SHAPED =
  /^(.+?)[\s,]*(?:#|book|bk\.?|vol\.?|volume|tome|band|part|teil)?\s*(\d{1,3}(?:\.\d+)?)\s*(?:[-–—]|\.\s)\s*(.+)$/i;

/** Reads "Series 03 - Title"; undefined when the title does not have that shape. */
export function parseSeriesShaped(
  raw: string,
): { series: string; sequence: string; title: string } | undefined {
  const m = SERIES_SHAPED.exec(raw.trim());
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const series = m[1].replace(/[\s\-–:,(]+$/, '').trim();
  if (!/\p{L}/u.test(series) || !/\p{L}/u.test(m[3])) return undefined;
  return { series, sequence: String(Number(m[2])), title: m[3].trim() };
}

/** Drops a leading author name ("Stephen King - The Stand") when it matches a known author. */
function stripAuthor(raw: string, authors: readonly string[]): string | undefined {
  const parts = raw.split(/\s+[-–—]\s+/);
  if (parts.length < 2) return undefined;
  const head = foldText(parts[0] ?? '');
  const tail = foldText(parts[parts.length - 1] ?? '');
  const known = authors.map((a) => foldText(a.replace(/^([^,]+),\s*(.+)$/, '$2 $1')));
  if (known.some((a) => a === head)) return parts.slice(1).join(' - ');
  if (known.some((a) => a === tail)) return parts.slice(0, -1).join(' - ');
  return undefined;
}

/**
 * The readings of a title worth comparing or searching for, best first and without duplicates:
 * the full title, the title without subtitle, the title part of a series-shaped name, and the
 * title with a known author's name removed.
 */
export function titleVariants(
  title: string,
  subtitle?: string,
  authors: readonly string[] = [],
): TitleVariant[] {
  const out: TitleVariant[] = [];
  const add = (text: string | undefined, weight: number, kind: TitleVariant['kind']) => {
    if (!text) return;
    const query = stripTitleNoise(text);
    const norm = normalizeTitle(query);
    if (norm && !out.some((v) => v.norm === norm)) out.push({ query, norm, weight, kind });
  };
  const trackless = title.replace(/^\s*\d{1,3}\s*[-_.)]\s+(?=\S)/u, '');
  add(subtitle ? `${title}: ${subtitle}` : title, 1, 'full');
  if (trackless !== title) add(trackless, 1, 'track-stripped');
  const cleaned = stripTitleNoise(trackless);
  const noAuthor = stripAuthor(cleaned, authors);
  if (noAuthor) add(noAuthor, 0.98, 'author-stripped');
  const shaped = parseSeriesShaped(noAuthor ?? cleaned);
  if (shaped) add(shaped.title, 0.97, 'series-shaped');
  const { main, subtitle: sub } = splitSubtitle(shaped?.title ?? noAuthor ?? cleaned);
  if (sub) add(main, 0.96, 'main');
  if (subtitle) add(title, 0.98, 'main');
  return out;
}
