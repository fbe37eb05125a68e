import { normalizeAsin, normalizeIsbn } from '../domain/identifiers.js';
import type { IdType, LookupContext } from '../domain/lookup.js';
import { SCHEMA_VERSION } from '../domain/versioning.js';

/**
 * Versioned cache key `schemaVersion:provider:idType:identifier:region`. The schema version comes
 * first so a schema bump makes every old entry unreachable (they are migrated on read instead).
 * @example makeCacheKey('audnexus', 'asin', 'B017V4IM1G', 'us') // "2.0.0:audnexus:asin:B017V4IM1G:us"
 */
export function makeCacheKey(
  provider: string,
  idType: IdType,
  identifier: string,
  region = 'any',
  schemaVersion = SCHEMA_VERSION,
): string {
  return `${schemaVersion}:${provider}:${idType}:${identifier}:${region}`;
}

/** The parts of a cache key; undefined when the string is not one of ours. */
export interface ParsedCacheKey {
  schemaVersion: string;
  provider: string;
  idType: IdType;
  identifier: string;
  region: string;
}

/** Splits a key made by makeCacheKey. Provider ids may contain ':' (`custom:name`), so parse from both ends. */
export function parseCacheKey(key: string): ParsedCacheKey | undefined {
  const parts = key.split(':');
  if (parts.length < 5) return undefined;
  const [schemaVersion] = parts;
  const region = parts.at(-1);
  const identifier = parts.at(-2);
  const idType = parts.at(-3);
  const provider = parts.slice(1, -3).join(':');
  if (!schemaVersion || !region || !identifier || !provider) return undefined;
  if (idType !== 'asin' && idType !== 'isbn' && idType !== 'search') return undefined;
  return { schemaVersion, provider, idType, identifier, region };
}

/** Lower-case, accents folded, punctuation to single spaces. Never contains ':' or '|'. */
function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Search identifier `title|author, author` (authors sorted, so their order does not matter). */
export function searchIdentifier(title: string, authors: readonly string[]): string {
  const people = authors.map(normalizeText).filter(Boolean).sort();
  return `${normalizeText(title)}|${people.join(',')}`;
}

/** Which identifier a provider would use for a context, mirroring how providers pick. */
export function cacheIdentityOf(
  ctx: LookupContext,
  idTypes: readonly IdType[],
): { idType: IdType; identifier: string } | undefined {
  // One identifier rule for the whole tree (src/domain/identifiers.ts): an ISBN-10 and its ISBN-13
  // share a key, and a value that is no ASIN/ISBN falls through to the next kind.
  const asin = idTypes.includes('asin') ? normalizeAsin(ctx.asin) : undefined;
  if (asin) return { idType: 'asin', identifier: asin };
  const isbn = idTypes.includes('isbn') ? normalizeIsbn(ctx.isbn) : undefined;
  if (isbn) return { idType: 'isbn', identifier: isbn };
  if (idTypes.includes('search') && ctx.title?.trim()) {
    const identifier = searchIdentifier(ctx.title, ctx.authors);
    if (identifier.length > 1) return { idType: 'search', identifier };
  }
  return undefined;
}

/**
 * Turns a glob-ish pattern into a RegExp: `*` matches any run of characters (':' included),
 * `?` one character; everything else is literal.
 * @example globToRegExp('2.0.0:audnexus:*').test('2.0.0:audnexus:asin:B0:us') // true
 */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
