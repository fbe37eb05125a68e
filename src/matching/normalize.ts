import { memoizeText } from './memo.js';

/**
 * Pure text normalisers used to compare what a library says about a book with what a provider
 * says. Everything here is total (never throws) and idempotent: normalising a normalised value
 * changes nothing, so callers may normalise defensively.
 */

/** Letters NFKD does not decompose but people type without their diacritic. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');

function foldOnce(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/&/g, ' and ')
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Accent-, case- and punctuation-insensitive form: "Les Misérables & Co." → "les miserables and co".
 * A trailing ", The" is moved to the front first ("Hobbit, The" → "the hobbit").
 */
function foldTextUncached(text: string): string {
  let out = text.replace(/^(.*),\s*(the|a|an)\s*$/i, '$2 $1');
  // Lower-casing or decomposing can expose characters that fold further; iterate to a fixpoint.
  for (let i = 0; i < 4; i++) {
    const next = foldOnce(out);
    if (next === out) break;
    out = next;
  }
  return out;
}
/** Memoised (memo.ts): it runs for the item against every candidate. */
export const foldText = memoizeText(foldTextUncached);

/** Noise in titles that is about the file or edition, not the book. */
const TITLE_NOISE: RegExp[] = [
  /\b(un)?abridged\b/gi,
  // Bitrates as folders spell them: 64k, 128kb, 128kbs, 128kbps, the common slip 128kpbs, 64kbit.
  /\b\d{2,3}\s?(k|kb|kbs|kbps|kpbs|kbit)\b/gi,
  /\b(mp3|m4b|m4a|flac|ogg|opus|aac|aax|aaxc)\b/gi,
  /\b(audio ?book|audio cd|retail|ripped|dramati[sz]ed|full cast)\b/gi,
  /\b(a novel|a thriller|a memoir|roman)\b\s*$/gi,
  /\b\d+(st|nd|rd|th)? (anniversary )?edition\b/gi,
  /\b(special|collectors?|deluxe|illustrated|revised|expanded|anniversary|unabridged) edition\b/gi,
];

/** Removes bracketed parts, edition/format/bitrate noise and ", Book N" from a raw title. */
function stripTitleNoiseUncached(title: string): string {
  let out = title.replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, ' ');
  for (const re of TITLE_NOISE) out = out.replace(re, ' ');
  out = out.replace(/,\s*(book|volume|vol\.?|part|tome|band|libro|livre|#)\s*\d+(\.\d+)?\s*$/i, '');
  return out.replace(/\s+/g, ' ').replace(/^[\s\-–:,.]+|[\s\-–:,]+$/g, '');
}
/** Memoised (memo.ts): it runs for the item against every candidate. */
export const stripTitleNoise = memoizeText(stripTitleNoiseUncached);

/** Splits "Main: Subtitle" / "Main - Subtitle" into its parts (the first separator wins). */
export function splitSubtitle(title: string): { main: string; subtitle?: string } {
  const m = /^(.+?)(?::\s+|\s+[-–—]\s+)(.+)$/.exec(title);
  if (!m?.[1] || !m[2]) return { main: title };
  return { main: m[1].trim(), subtitle: m[2].trim() };
}

/**
 * Comparable title: noise stripped, folded, leading article and leading track number dropped.
 * The subtitle is kept; see `titleVariants` for the forms compared.
 * @example normalizeTitle("The Hobbit (Unabridged) 64k") → "hobbit"
 */
function normalizeTitleUncached(title: string): string {
  let out = title;
  // Removing one layer of noise can expose another ("The 01 - x"); iterate to a fixpoint.
  for (let i = 0; i < 6; i++) {
    const next = foldText(stripTitleNoise(out.replace(/^\s*\d{1,3}\s*[-_.)]\s+(?=\S)/u, ''))).replace(
      /^(the|a|an) (?=\S)/,
      '',
    );
    if (next === out) break;
    out = next;
  }
  return out;
}
/** Memoised (memo.ts): it runs for the item against every candidate. */
export const normalizeTitle = memoizeText(normalizeTitleUncached);

/** Person-name suffixes and noise that do not identify the person. */
const NAME_NOISE = /\b(et al|jr|sr|ii|iii|phd|md|dr|prof|sir|foreword|introduction|translator|editor)\b/g;

/**
 * Comparable person name: "Tolkien, J.R.R." → "j r r tolkien"; initials split, accents folded,
 * "et al." and suffixes dropped.
 */
function normalizeAuthorUncached(name: string): string {
  let n = name.trim();
  const flip = /^([^,]+),\s*([^,]+)$/.exec(n);
  if (flip?.[1] && flip[2] && !/^(jr|sr|ii|iii|phd|md)\.?$/i.test(flip[2].trim())) {
    n = `${flip[2]} ${flip[1]}`;
  }
  // "J.R.R.Tolkien" → "J. R. R. Tolkien" before folding removes the dots.
  n = n.replace(/\.(?=\S)/g, '. ').replace(/-(illustrator|translator|editor|traductor|foreword)\b.*/i, '');
  return foldText(n).replace(NAME_NOISE, ' ').replace(/\s+/g, ' ').trim();
}
/** Memoised (memo.ts): it runs for the item against every candidate. */
export const normalizeAuthor = memoizeText(normalizeAuthorUncached);

/** True when a comma-separated piece looks like the "First" half of "Last, First". */
function looksLikeGivenNames(piece: string): boolean {
  const words = piece.trim().split(/\s+/);
  return words.length <= 3 && words.every((w) => /^\p{Lu}[\p{L}.'-]*$/u.test(w) || /^\p{Lu}\.?$/u.test(w));
}

/**
 * Splits a contributor string into names: "&", " and ", ";", "/" and commas separate people;
 * "Last, First" (a single-word surname followed by given names) is kept together and flipped.
 * @example splitAuthors("Tolkien, J.R.R. & Christopher Tolkien") → ["j r r tolkien", "christopher tolkien"]
 */
export function splitAuthors(raw: string | readonly string[]): string[] {
  const inputs = typeof raw === 'string' ? [raw] : raw;
  const out: string[] = [];
  for (const input of inputs) {
    for (const part of input.split(/\s*(?:;|\/|&|\band\b|\bwith\b|\bund\b|\bet\b(?! al))\s*/i)) {
      const pieces = part.split(/\s*,\s*/).filter((p) => p.trim().length > 0);
      for (let i = 0; i < pieces.length; i++) {
        const cur = pieces[i] as string;
        const next = pieces[i + 1];
        if (next && !cur.trim().includes(' ') && looksLikeGivenNames(next)) {
          out.push(normalizeAuthor(`${cur}, ${next}`));
          i++;
        } else out.push(normalizeAuthor(cur));
      }
    }
  }
  return [...new Set(out.filter((n) => n.length > 0))];
}

/**
 * The first number of a free-text series position, as providers and comparisons want it:
 * "Book 1" → "1", "0.5" → "0.5", "1-2" → "1", "Tome 03" → "3", "2, Dramatized Adaptation" → "2".
 * Null when there is no number.
 */
export function cleanSequence(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : null;
  const m = /\d+(?:[.,]\d+)?/.exec(raw);
  if (!m) return null;
  return String(Number(m[0].replace(',', '.')));
}

/**
 * A series position from the item's own files, kept as written where it is not a plain number
 * (ABS stores "1-2" as given): "Book 3" → "3", "03" → "3", "1.50" → "1.5", "-1" (Libation's
 * unknown) → null, "1-2" → "1-2"; longer than 12 characters → null (not a position).
 */
export function sequenceAsWritten(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  const text = String(raw)
    .trim()
    .replace(/^(?:book|vol(?:ume)?\.?|part|no\.?|#)\s*/i, '');
  if (!text || text === '-1') return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return String(Number(text));
  return text.length <= 12 ? text : null;
}

const LANGUAGE_CODES: Record<string, string> = {
  en: 'english',
  eng: 'english',
  de: 'german',
  ger: 'german',
  deu: 'german',
  fr: 'french',
  fre: 'french',
  fra: 'french',
  es: 'spanish',
  spa: 'spanish',
  it: 'italian',
  ita: 'italian',
  ja: 'japanese',
  jpn: 'japanese',
  nl: 'dutch',
  dut: 'dutch',
  nld: 'dutch',
  pt: 'portuguese',
  por: 'portuguese',
  hi: 'hindi',
  hin: 'hindi',
};

/** Language as a lower-case English word, whatever form it came in ("en", "eng", "English"). */
export function normalizeLanguage(lang: string | null | undefined): string | undefined {
  const l = lang?.trim().toLowerCase().split(/[-_]/)[0];
  if (!l) return undefined;
  return LANGUAGE_CODES[l] ?? l;
}
