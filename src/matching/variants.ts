import { normalizeAuthor, normalizeTitle, splitSubtitle, stripTitleNoise } from './normalize.js';
import { personSimilarity, SINGLE_TYPO_SIMILARITY, singleTypo, stringSimilarity } from './similarity.js';

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

/** Folder names use `_` or `.` for spaces ("the_lightning_thief", "karen.cheung.-.title"). */
export function deFolder(raw: string): string {
  if (/\s/.test(raw.trim())) return raw;
  const seps = raw.match(/[_.]/g)?.length ?? 0;
  return seps >= 2 ? raw.replace(/[_.]+/g, ' ').trim() : raw;
}

/** Whether `segment` names one of `authors` (initials and small typos allowed). */
export function namesAuthor(segment: string, authors: readonly string[]): boolean {
  const seg = normalizeAuthor(segment);
  return seg.length > 0 && authors.some((a) => personSimilarity(seg, normalizeAuthor(a)) >= 0.85);
}

/** Drops a leading or trailing author name ("Stephen King - The Stand") when it names a known author. */
function stripAuthor(raw: string, authors: readonly string[]): string | undefined {
  const parts = raw.split(/\s+[-–—]\s+/);
  if (parts.length < 2 || !authors.length) return undefined;
  if (namesAuthor(parts[0] ?? '', authors)) return parts.slice(1).join(' - ');
  if (namesAuthor(parts[parts.length - 1] ?? '', authors)) return parts.slice(0, -1).join(' - ');
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
  const unfoldered = deFolder(title);
  const trackless = unfoldered.replace(/^\s*\d{1,3}\s*[-_.)]\s+(?=\S)/u, '');
  add(subtitle ? `${title}: ${subtitle}` : title, 1, 'full');
  if (trackless !== title) add(trackless, 1, unfoldered === trackless ? 'full' : 'track-stripped');
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

/** Pairs made only of subtitle-stripped readings prove little; they are capped well below apply. */
const MAIN_MAIN_WEIGHT = 0.7;
/** Titles that differ only in a number ("Episode 749" vs "Episode 796", volume 2 vs 3) are different books. */
const NUMBER_MISMATCH_FACTOR = 0.65;

function numbersOf(text: string): string {
  return (text.match(/\d+/g) ?? [])
    .map(Number)
    .sort((a, b) => a - b)
    .join(' ');
}

/** Best similarity over every pair of readings, each weighted by how much it dropped. */
export function bestTitleMatch(
  ctx: readonly TitleVariant[],
  cand: readonly TitleVariant[],
): { score: number; via: string } {
  let best = { score: 0, via: 'none' };
  for (const c of ctx) {
    for (const k of cand) {
      const bothReduced = c.kind === 'main' && k.kind === 'main';
      const weight = bothReduced ? MAIN_MAIN_WEIGHT : c.weight * k.weight;
      const na = numbersOf(c.norm);
      const nb = numbersOf(k.norm);
      const numbers = na && nb && na !== nb ? NUMBER_MISMATCH_FACTOR : 1;
      const similarity = singleTypo(c.norm, k.norm)
        ? Math.max(SINGLE_TYPO_SIMILARITY, stringSimilarity(c.norm, k.norm))
        : stringSimilarity(c.norm, k.norm);
      const score = similarity * weight * numbers;
      if (score > best.score) best = { score, via: `${c.kind}~${k.kind}` };
    }
  }
  return best;
}
