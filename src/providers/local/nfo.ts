import { XMLParser } from 'fast-xml-parser';
import { cleanIsbn, normalizeAsin } from '../../domain/identifiers.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { sequenceAsWritten } from '../../matching/normalize.js';
import { dedupe, normalizeLanguage, splitGenres, splitPeople, toPeople, yearOf } from './names.js';

/**
 * NFO readers. Two kinds exist beside audiobooks: Kodi/Plex-style XML (`<album>`/`<audiobook>`
 * with title, artist, genre, plot …) and the plain "Key: value" text NFOs of release groups.
 * Both are pure and never throw; what cannot be read is simply absent.
 */

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  htmlEntities: true,
  processEntities: true,
});

/** Text NFO keys (lower-case, without punctuation) → what they hold. */
const TEXT_KEYS: Record<string, string> = {
  title: 'title',
  booktitle: 'title',
  album: 'title',
  subtitle: 'subtitle',
  author: 'authors',
  authors: 'authors',
  writtenby: 'authors',
  artist: 'authors',
  narrator: 'narrators',
  narrators: 'narrators',
  readby: 'narrators',
  narratedby: 'narrators',
  reader: 'narrators',
  series: 'series',
  seriesname: 'series',
  seriesindex: 'sequence',
  seriesnumber: 'sequence',
  book: 'sequence',
  genre: 'genres',
  genres: 'genres',
  year: 'year',
  released: 'year',
  releasedate: 'year',
  copyright: 'year',
  publisher: 'publisher',
  label: 'publisher',
  isbn: 'isbn',
  asin: 'asin',
  language: 'language',
  description: 'description',
  summary: 'description',
  plot: 'description',
};

/** Parses an NFO of either kind; returns an empty object for anything unreadable. */
export function parseNfo(text: string): PartialMetadata {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('<')) return parseXmlNfo(trimmed);
  return parseTextNfo(trimmed);
}

function parseXmlNfo(xml: string): PartialMetadata {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch {
    return {};
  }
  const root = Object.values(doc).find(
    (v): v is Node => Boolean(v) && typeof v === 'object' && !Array.isArray(v),
  );
  if (!root) return {};
  const values: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(root)) {
    const list = (Array.isArray(value) ? value : [value]).map(textOf).filter((v): v is string => Boolean(v));
    if (list.length) values[key.toLowerCase()] = list;
  }
  const pick = (...keys: string[]) => keys.map((k) => values[k]?.[0]).find(Boolean);
  const all = (...keys: string[]) => keys.flatMap((k) => values[k] ?? []);
  return toMetadata({
    title: pick('title', 'album'),
    subtitle: pick('subtitle'),
    authors: all('author', 'artist', 'albumartist', 'writer').join(';'),
    narrators: all('narrator', 'reader', 'composer').join(';'),
    series: pick('series', 'set', 'seriesname'),
    sequence: pick('seriesindex', 'seriesnumber', 'setindex', 'part', 'book'),
    genres: all('genre').join(';'),
    year: pick('year', 'releasedate', 'premiered', 'aired'),
    publisher: pick('publisher', 'studio', 'label'),
    isbn: pick('isbn'),
    asin: pick('asin'),
    language: pick('language'),
    description: pick('plot', 'review', 'description', 'outline', 'summary'),
  });
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as Node)['#text']);
  return undefined;
}

/** "Key: value" (or "Key.....: value") lines; a Description key takes the lines that follow it. */
function parseTextNfo(text: string): PartialMetadata {
  const found: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^\s*([A-Za-z][A-Za-z .]{0,30}?)[\s.]*[:=]\s*(.*)$/.exec(lines[i]!);
    if (!match?.[1]) continue;
    const target = TEXT_KEYS[match[1].toLowerCase().replace(/[^a-z]/g, '')];
    if (!target || found[target]) continue;
    let value = (match[2] ?? '').trim();
    if (target === 'description') value = [value, ...continuation(lines, i + 1)].filter(Boolean).join('\n');
    if (value) found[target] = value;
  }
  return toMetadata(found);
}

function continuation(lines: string[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < lines.length && lines[i]!.trim(); i++) out.push(lines[i]!.trim());
  return out;
}

function toMetadata(v: Record<string, string | undefined>): PartialMetadata {
  const authors = splitPeople(v.authors);
  const narrators = splitPeople(v.narrators);
  const genres = splitGenres(v.genres);
  const out: PartialMetadata = {
    title: v.title?.trim() || undefined,
    subtitle: v.subtitle?.trim() || undefined,
    authors: authors.length ? toPeople(authors) : undefined,
    narrators: narrators.length ? dedupe(narrators) : undefined,
    series: v.series?.trim()
      ? [{ name: v.series.trim(), sequence: sequenceAsWritten(v.sequence) }]
      : undefined,
    genres: genres.length ? genres : undefined,
    publishedYear: yearOf(v.year),
    publisher: v.publisher?.trim() || undefined,
    isbn: cleanIsbn(v.isbn),
    asin: normalizeAsin(v.asin),
    language: normalizeLanguage(v.language),
    description: v.description?.trim() || undefined,
  };
  for (const key of Object.keys(out) as (keyof PartialMetadata)[])
    if (out[key] === undefined) delete out[key];
  return out;
}
