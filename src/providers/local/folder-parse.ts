import { cleanIsbn } from '../../domain/identifiers.js';
import type { SeriesEntry } from '../../domain/metadata.js';
import { sequenceAsWritten } from '../../matching/normalize.js';
import { splitPeople, stripAbridgement } from './names.js';

/**
 * Pure parser for audiobook folder and file names. It follows ABS's own rules
 * (`server/utils/scandir.js`: `Author/Series/Title`, `[ASIN]`, `{Narrator}`, `Book 3 - Title`,
 * `2019 - Title`) and adds the layouts ABS misses: `Author - Title`, `Title (Unabridged)`,
 * `Title (Series #3)`, "Narrated by", ISBNs with a valid checksum, disc folders.
 */

/** Where a parsed value came from, so provenance can say which name it was read from. */
export type NamePart = 'folder' | 'parent' | 'grandparent' | 'file';

export interface FolderParse {
  title?: string;
  subtitle?: string;
  authors: string[];
  narrators: string[];
  series?: SeriesEntry;
  asin?: string;
  isbn?: string;
  publishedYear?: string;
  abridged?: boolean;
  /** Which name each field was read from. */
  from: Partial<
    Record<'title' | 'authors' | 'narrators' | 'series' | 'asin' | 'isbn' | 'publishedYear', NamePart>
  >;
}

/** Folder names that hold books but are not authors or series ("Audiobooks/Title"). */
const GENERIC_FOLDERS =
  /^(?:audio ?books?|books?|library|libraries|media|data|downloads?|libation|audible|mnt|srv|home|volume\d*|storage|share|shares|nas|tmp|temp|sorted|unsorted|new|incoming|[a-z]:)$/i;
const DISC_FOLDER = /^(?:cd|dis[ck]|part|pt|vol(?:ume)?)[\s._-]*\d{1,3}$/i;
const ASIN_IN_NAME = /(?:^|\s|_)\[([A-Z0-9]{10})\](?=\s|_|$|\.)/;
const NARRATOR_BRACES = /\s*\{([^{}]+)\}\s*/;
const NARRATED_BY = /\s*[([](?:narrated|read|performed)\s+by\s+([^)\]]+)[)\]]\s*/i;
const YEAR_PREFIX = /^\s*\(?((?:1[5-9]|20)\d{2})\)?\s*-\s*(.+)$/;
const YEAR_SUFFIX = /^(.+?)\s*[([]((?:1[5-9]|20)\d{2})[)\]]\s*$/;
const SEQUENCE_PART = /^(vol\.?\s*|volume\s+|book\s+|part\s+|#)?(\d{1,3}(?:\.\d{1,2})?)(\.?)(?:\s+(.*))?$/i;
const SERIES_IN_PARENS =
  /^(.+?)\s*[([]([^()[\]]+?)(?:,\s*|\s+)(?:#|book\s+|vol\.?\s*|volume\s+)(\d{1,3}(?:\.\d{1,2})?)[)\]]\s*$/i;
const SERIES_LABELLED = /^(.+?)(?:,\s*|\s+)(?:#|book\s+|vol\.?\s*|volume\s+)(\d{1,3}(?:\.\d{1,2})?)$/i;
const ISBN_CANDIDATE = /(?:^|[\s_[(-])((?:97[89][-\s]?)?\d[\d-\s]{7,15}[\dXx])(?=$|[\s_\])-])/;

/** Splits a path (POSIX or Windows) into its non-empty segments. */
export function pathSegments(itemPath: string): string[] {
  return itemPath.split(/[\\/]+/).filter((s) => s && s !== '.');
}

/** Parses the item folder, its parents (author, series) and the audio file names. Never throws. */
export function parseItemPath(itemPath: string, fileNames: readonly string[] = []): FolderParse {
  const segments = pathSegments(itemPath);
  while (segments.length > 1 && DISC_FOLDER.test(segments.at(-1)!)) segments.pop();
  const folder = segments.at(-1) ?? '';
  const parent = usable(segments.at(-2));
  const grandparent = usable(segments.at(-3));
  const out: FolderParse = { authors: [], narrators: [], from: {} };
  let rest = extractTags(folder, out, 'folder');
  rest = extractYear(rest, out);
  rest = extractSequence(rest, out, parent);
  rest = extractSeriesInParens(rest, out);
  assignAuthorAndTitle(rest, out, parent, grandparent);
  for (const name of fileNames) fromFileName(name, out);
  return out;
}

function usable(segment: string | undefined): string | undefined {
  if (!segment || GENERIC_FOLDERS.test(segment.trim())) return undefined;
  return segment.trim();
}

/** Takes `[ASIN]`, `{Narrator}`, "(Narrated by …)", "(Unabridged)" and an ISBN out of a name. */
function extractTags(name: string, out: FolderParse, part: NamePart): string {
  let rest = name.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  const asin = ASIN_IN_NAME.exec(rest);
  if (asin?.[1]) {
    setOnce(out, 'asin', asin[1], part);
    rest = rest.replace(asin[0], ' ');
  }
  for (const pattern of [NARRATOR_BRACES, NARRATED_BY]) {
    const match = pattern.exec(rest);
    if (match?.[1] && !out.narrators.length) {
      out.narrators = splitPeople(match[1]);
      out.from.narrators = part;
      rest = rest.replace(match[0], ' ');
    }
  }
  const stripped = stripAbridgement(rest);
  if (stripped.abridged !== undefined) out.abridged ??= stripped.abridged;
  rest = stripped.title;
  const isbn = ISBN_CANDIDATE.exec(rest);
  const valid = isbn?.[1] ? cleanIsbn(isbn[1]) : undefined;
  if (isbn?.[1] && valid) {
    setOnce(out, 'isbn', valid, part);
    rest = rest.replace(isbn[1], ' ').replace(/[[(]\s*[\])]/g, ' ');
  }
  return tidy(rest);
}

function extractYear(name: string, out: FolderParse): string {
  const prefix = YEAR_PREFIX.exec(name);
  if (prefix?.[1] && prefix[2]) {
    out.publishedYear = prefix[1];
    out.from.publishedYear = 'folder';
    return tidy(prefix[2]);
  }
  const suffix = YEAR_SUFFIX.exec(name);
  if (suffix?.[1] && suffix[2]) {
    out.publishedYear = suffix[2];
    out.from.publishedYear = 'folder';
    return tidy(suffix[1]);
  }
  return name;
}

/**
 * ABS's sequence rule: one " - " part that is "Book 3", "Vol. 2", "3." or a bare number followed by
 * nothing. A bare number with a title after it ("101 Dalmatians") is not a sequence.
 */
function extractSequence(name: string, out: FolderParse, parent: string | undefined): string {
  const parts = name.split(' - ');
  const labelled = extractLabelledSeries(parts, out);
  if (labelled !== undefined) return labelled;
  for (let i = 0; i < parts.length; i++) {
    const match = SEQUENCE_PART.exec(parts[i]!.trim());
    if (!match) continue;
    const [, label, number, dot, suffix] = match;
    if (suffix && !label && !dot) continue;
    if (!label && !parent && !dot && parts.length === 1) continue;
    const seriesName = i > 0 ? parts.slice(0, i).join(' - ') : undefined;
    out.series = { name: seriesName ?? parent ?? '', sequence: sequenceAsWritten(number) };
    out.from.series = seriesName ? 'folder' : 'parent';
    const remaining = [...parts.slice(i + 1)];
    if (suffix) remaining.unshift(suffix);
    if (seriesName && remaining.length) return tidy(`${seriesName} - ${remaining.join(' - ')}`);
    return tidy(remaining.join(' - ') || parts.slice(0, i).join(' - '));
  }
  return name;
}

/** "Series, Book 3 - Title" / "Series #3 - Title": a series part with an explicit label. */
function extractLabelledSeries(parts: string[], out: FolderParse): string | undefined {
  for (let i = 0; i < parts.length - 1; i++) {
    const match = SERIES_LABELLED.exec(parts[i]!.trim());
    if (!match?.[1] || !match[2]) continue;
    out.series = { name: tidy(match[1]), sequence: sequenceAsWritten(match[2]) };
    out.from.series = 'folder';
    return tidy([...parts.slice(0, i), ...parts.slice(i + 1)].join(' - '));
  }
  return undefined;
}

function extractSeriesInParens(name: string, out: FolderParse): string {
  const match = SERIES_IN_PARENS.exec(name);
  if (!match?.[1] || !match[2] || out.series?.name) return name;
  out.series = { name: tidy(match[2]), sequence: sequenceAsWritten(match[3]) };
  out.from.series = 'folder';
  return tidy(match[1]);
}

/**
 * Decides who the author is and what the title is: "Author - Title" in the folder name, or the
 * parent folder (`Author/Title`), or the grandparent when the parent is the series.
 */
function assignAuthorAndTitle(
  rest: string,
  out: FolderParse,
  parent: string | undefined,
  grandparent: string | undefined,
): void {
  let parts = rest.split(' - ').map(tidy).filter(Boolean);
  const seriesFromParent = out.from.series === 'parent';
  const authorFolder = seriesFromParent ? grandparent : parent;
  const authorPart = authorFolder ? (seriesFromParent ? 'grandparent' : 'parent') : undefined;
  if (authorFolder && parts.length > 1 && same(parts[0], authorFolder)) parts = parts.slice(1);
  if (out.series?.name && parts.length > 1 && same(parts[0], out.series.name)) parts = parts.slice(1);
  if (out.series && !out.series.name) delete out.series;
  if (!authorFolder && parts.length > 1 && looksLikePeople(parts[0]!)) {
    out.authors = splitPeople(parts[0]);
    out.from.authors = 'folder';
    parts = parts.slice(1);
  } else if (authorFolder && authorPart) {
    out.authors = splitPeople(authorFolder);
    out.from.authors = authorPart;
  }
  if (parts.length > 1 && out.series && same(parts[0], out.series.name)) parts = parts.slice(1);
  if (parts[0]) {
    out.title = parts[0];
    out.from.title = 'folder';
  }
  if (parts.length > 1) out.subtitle = parts.slice(1).join(' - ');
}

/** A short run of capitalised words or initials, maybe several joined by & or commas. */
function looksLikePeople(text: string): boolean {
  const names = splitPeople(text);
  return (
    names.length > 0 &&
    names.every((n) => {
      const words = n.split(' ');
      return words.length >= 1 && words.length <= 5 && words.every((w) => /^[\p{Lu}][\p{L}.'’-]*$/u.test(w));
    })
  );
}

/** File names add an ASIN or ISBN the folder did not have (Libation's `<title> [ASIN].m4b`). */
function fromFileName(fileName: string, out: FolderParse): void {
  const base = pathSegments(fileName).at(-1) ?? '';
  const stem = base.replace(/\.[a-z0-9]{1,5}$/i, '');
  const scratch: FolderParse = { authors: [], narrators: [], from: {} };
  extractTags(stem, scratch, 'file');
  if (scratch.asin && !out.asin) setOnce(out, 'asin', scratch.asin, 'file');
  if (scratch.isbn && !out.isbn) setOnce(out, 'isbn', scratch.isbn, 'file');
}

function setOnce(out: FolderParse, field: 'asin' | 'isbn', value: string, part: NamePart): void {
  if (out[field]) return;
  out[field] = value;
  out.from[field] = part;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b && a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0);
}

function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–.,:]+|[\s\-–,:]+$/g, '')
    .trim();
}
