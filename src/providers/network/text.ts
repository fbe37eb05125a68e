/** Small pure helpers shared by the provider mappers. */

/** "english" → "English"; each word capitalised ("old english" → "Old English"). */
export function capitalise(word: string): string {
  return word
    .trim()
    .split(/\s+/)
    .map((w) => (w ? w[0]?.toUpperCase() + w.slice(1).toLowerCase() : w))
    .join(' ');
}

// ISO 639-1 and 639-2 codes of the languages audiobooks come in most; the rest stay as given.
const LANGUAGES: Record<string, string> = {
  en: 'English',
  eng: 'English',
  de: 'German',
  ger: 'German',
  deu: 'German',
  fr: 'French',
  fre: 'French',
  fra: 'French',
  es: 'Spanish',
  spa: 'Spanish',
  it: 'Italian',
  ita: 'Italian',
  ja: 'Japanese',
  jpn: 'Japanese',
  pt: 'Portuguese',
  por: 'Portuguese',
  nl: 'Dutch',
  dut: 'Dutch',
  nld: 'Dutch',
  sv: 'Swedish',
  swe: 'Swedish',
  da: 'Danish',
  dan: 'Danish',
  no: 'Norwegian',
  nor: 'Norwegian',
  nb: 'Norwegian',
  fi: 'Finnish',
  fin: 'Finnish',
  pl: 'Polish',
  pol: 'Polish',
  ru: 'Russian',
  rus: 'Russian',
  zh: 'Chinese',
  chi: 'Chinese',
  zho: 'Chinese',
  hi: 'Hindi',
  hin: 'Hindi',
  ko: 'Korean',
  kor: 'Korean',
  tr: 'Turkish',
  tur: 'Turkish',
  cs: 'Czech',
  cze: 'Czech',
  ces: 'Czech',
  hu: 'Hungarian',
  hun: 'Hungarian',
  el: 'Greek',
  gre: 'Greek',
  ell: 'Greek',
  he: 'Hebrew',
  heb: 'Hebrew',
  ar: 'Arabic',
  ara: 'Arabic',
  uk: 'Ukrainian',
  ukr: 'Ukrainian',
  ca: 'Catalan',
  cat: 'Catalan',
};

/** A language name as ABS shows it, from an ISO code ("en", "eng") or an English word ("english"). */
export function languageName(value: string | undefined | null): string | undefined {
  if (!value?.trim()) return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/^\/languages\//, '');
  return LANGUAGES[key] ?? capitalise(key);
}

/** The four-digit year at the start of a date ("2020", "2020-05", "2015-11-20T00:00:00Z"). */
export function yearOf(date: string | number | null | undefined): string | undefined {
  if (date === null || date === undefined) return undefined;
  const match = /\b(\d{4})\b/.exec(String(date));
  return match?.[1];
}

/** YYYY-MM-DD when the input has day precision; undefined for "2020" or "2020-05". */
export function isoDate(date: string | null | undefined): string | undefined {
  const match = date ? /^(\d{4}-\d{2}-\d{2})/.exec(date) : null;
  return match?.[1];
}

/** The lowest plausible year in a copyright line ("©1997 … (P)1999 …" → "1997"). */
export function copyrightYear(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const years = [...text.matchAll(/(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)/g)].map((m) => Number(m[1]));
  return years.length ? String(Math.min(...years)) : undefined;
}

/** Splits "A & B", "A and B", "A; B", "A, B" into names (never "Last, First" pairs of one word each). */
export function splitPeople(value: string | undefined | null): string[] {
  if (!value?.trim()) return [];
  const parts = value.split(/\s*(?:&|;|\band\b|\/)\s*/i).flatMap((p) => p.split(/\s*,\s*/));
  // "Weir, Andy" is one person: two single-word parts joined by one comma.
  if (parts.length === 2 && !/[&;/]|\band\b/i.test(value) && parts.every((p) => !/\s/.test(p))) {
    return [`${parts[1]} ${parts[0]}`];
  }
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

/** Removes duplicates (case-insensitive) and blanks, keeping the first spelling. */
export function uniqueStrings(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const v = value?.trim();
    if (!v || seen.has(v.toLowerCase())) continue;
    seen.add(v.toLowerCase());
    out.push(v);
  }
  return out;
}
