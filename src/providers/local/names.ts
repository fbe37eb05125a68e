import type { Person, SeriesEntry } from '../../domain/metadata.js';
import { sequenceAsWritten } from '../../matching/normalize.js';

/**
 * Small pure helpers shared by the local readers: people lists, series strings, identifiers and
 * languages as they appear in tags, sidecars and folder names.
 */

/** A name chunk with no space is taken for a surname ("Rowling" in "Rowling, J.K."). */
function looksLikeLastName(chunk: string): boolean {
  return chunk.length > 0 && !chunk.includes(' ');
}

/**
 * Splits a people string the way ABS does (`parseNameString`): on `&`, ` and `, `;`, then commas,
 * turning "Last, First" pairs around. Empty and duplicate names are dropped.
 * @example splitPeople('Rowling, J.K. & Fry, Stephen') // ['J.K. Rowling', 'Stephen Fry']
 */
export function splitPeople(value: string | undefined | null): string[] {
  if (!value) return [];
  const text = value.replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const groups = text.split(/\s*(?:&|;|\band\b)\s*/i).filter((g) => g.trim());
  const names: string[] = [];
  for (const group of groups) {
    const chunks = group
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (
      chunks.length % 2 === 0 &&
      chunks.length > 0 &&
      chunks.every((_, i) => i % 2 === 1 || looksLikeLastName(chunks[i]!))
    ) {
      for (let i = 0; i < chunks.length; i += 2) names.push(`${chunks[i + 1]} ${chunks[i]}`);
    } else {
      names.push(...chunks);
    }
  }
  return dedupe(names.filter((n) => !/^(?:unknown|various|n\/a|-+)$/i.test(n)));
}

/** Authors as canonical Person objects. */
export function toPeople(names: string[]): Person[] {
  return names.map((name) => ({ name }));
}

export function dedupe(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "Name #1" → {name, sequence: "1"}; "Name" → {name, sequence: null} (ABS's parseSeriesString). */
export function parseSeriesString(value: string): SeriesEntry | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const match = /^(.*?)\s+#([^#\s]+)$/.exec(text);
  if (match?.[1]) return { name: match[1].trim(), sequence: sequenceAsWritten(match[2]) };
  return { name: text, sequence: null };
}

/** Several series separated by `;` ("A #1; B #2"). */
export function parseSeriesList(value: string | undefined): SeriesEntry[] {
  if (!value) return [];
  return value
    .split(';')
    .map(parseSeriesString)
    .filter((s): s is SeriesEntry => Boolean(s));
}

/** Splits genres on `/`, `//`, `;` and `,` as ABS does for tags, trimming and de-duplicating. */
export function splitGenres(value: string | undefined): string[] {
  if (!value) return [];
  return dedupe(
    value
      .split(/\s*(?:\/\/|\/|;|,)\s*/)
      .map((g) => g.trim())
      .filter(Boolean),
  );
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/**
 * Language as ABS shows it: "eng"/"en"/"english" → "English". Unknown codes are returned
 * capitalised as written.
 */
export function normalizeLanguage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text) return undefined;
  if (/^[a-z]{2,3}(?:[-_][a-z]{2})?$/i.test(text)) {
    try {
      const name = languageNames.of(text.replace('_', '-').toLowerCase());
      if (name && name.toLowerCase() !== text.toLowerCase()) return name;
    } catch {
      // Not a valid BCP-47 tag: fall through to the text as written.
    }
  }
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The first four-digit year (1000–2999) in a date-ish string. */
export function yearOf(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return /\b([12]\d{3})\b/.exec(String(value))?.[1];
}

/** An ISO date (YYYY-MM-DD) from a date-ish string, when it has one. */
export function isoDateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/** Removes an "(Unabridged)"/"[Abridged]" marker; reports which one it was. */
export function stripAbridgement(title: string): { title: string; abridged?: boolean } {
  const match = /\s*[([](un)?abridged[)\]]\s*/i.exec(title);
  if (!match) return { title };
  const cleaned = `${title.slice(0, match.index)} ${title.slice(match.index + match[0].length)}`.trim();
  return { title: cleaned || title, abridged: !match[1] };
}

/** Natural sort ("Part 2" before "Part 10"). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}
