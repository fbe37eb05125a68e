import { cleanIsbn, normalizeAsin } from '../../domain/identifiers.js';
import type { CanonicalMetadata, SeriesEntry } from '../../domain/metadata.js';
import { sequenceAsWritten } from '../../matching/normalize.js';
import {
  isoDateOf,
  normalizeLanguage,
  parseSeriesList,
  splitGenres,
  splitPeople,
  stripAbridgement,
  toPeople,
  yearOf,
} from './names.js';
import { firstOf, type TagBag } from './tag-bag.js';

type Field = Exclude<keyof CanonicalMetadata, 'customFields'>;

/** One field read from tags: value, trust, and the tag key it came from (for provenance). */
export interface MappedTag<F extends Field = Field> {
  field: F;
  value: CanonicalMetadata[F];
  confidence: number;
  key: string;
  raw?: string;
}

/**
 * ABS's tag→field rules (`prober.js` + `AudioFileScanner.js`) applied to a tag bag, plus the
 * keys ABS does not read: `©nrt`/narrator, tone's freeform atoms, release dates, ISBN checksums.
 * Pure: returns the fields in a fixed order; nothing throws on odd input.
 */
export function mapTagBag(bag: TagBag): MappedTag[] {
  const out: MappedTag[] = [];
  const push = <F extends Field>(entry: MappedTag<F> | undefined) => {
    if (entry) out.push(entry as unknown as MappedTag);
  };
  push(mapTitle(bag));
  push(simple(bag, 'subtitle', 0.7, ['subtitle']));
  push(people(bag, 'authors', 0.8, ['artist', 'album_artist', 'author']));
  push(narrators(bag));
  push(mapSeries(bag));
  push(genres(bag));
  push(simple(bag, 'description', 0.6, ['longdescription', 'description', 'desc', 'comment']));
  push(simple(bag, 'publisher', 0.7, ['publisher', 'label']));
  const date = firstOf(bag, 'date', 'year', 'releasedate');
  const year = yearOf(date?.value);
  if (date && year)
    push({ field: 'publishedYear', value: year, confidence: 0.6, key: date.key, raw: date.value });
  const release = firstOf(bag, 'releasedate', 'date');
  const iso = isoDateOf(release?.value);
  if (release && iso) push({ field: 'publishedDate', value: iso, confidence: 0.6, key: release.key });
  const lang = firstOf(bag, 'language', 'lang');
  push(
    lang && {
      field: 'language',
      value: normalizeLanguage(lang.value),
      confidence: 0.7,
      key: lang.key,
      raw: lang.value,
    },
  );
  push(identifier(bag, 'asin', ['asin', 'audible_asin', 'audibleasin'], normalizeAsin, 0.95));
  push(identifier(bag, 'isbn', ['isbn', 'isbn13', 'isbn10'], cleanIsbn, 0.9));
  return out.filter((e) => e.value !== undefined);
}

function mapTitle(bag: TagBag): MappedTag<'title'> | undefined {
  const found = firstOf(bag, 'album', 'title');
  if (!found) return undefined;
  const { title } = stripAbridgement(found.value);
  return { field: 'title', value: title, confidence: 0.8, key: found.key, raw: found.value };
}

function simple<F extends 'subtitle' | 'description' | 'publisher'>(
  bag: TagBag,
  field: F,
  confidence: number,
  keys: string[],
): MappedTag<F> | undefined {
  const found = firstOf(bag, ...keys);
  return found && { field, value: found.value as CanonicalMetadata[F], confidence, key: found.key };
}

function people(
  bag: TagBag,
  field: 'authors',
  confidence: number,
  keys: string[],
): MappedTag<'authors'> | undefined {
  const found = firstOf(bag, ...keys);
  const names = splitPeople(found?.value);
  return found && names.length
    ? { field, value: toPeople(names), confidence, key: found.key, raw: found.value }
    : undefined;
}

/** Composer is where ABS and Libation put narrators; Audible's own AAX files use ©nrt. */
function narrators(bag: TagBag): MappedTag<'narrators'> | undefined {
  const found = firstOf(bag, 'composer', 'narrator', 'narratedby');
  const names = splitPeople(found?.value);
  if (!found || !names.length) return undefined;
  return {
    field: 'narrators',
    value: names,
    confidence: found.key === 'narrator' ? 0.8 : 0.7,
    key: found.key,
    raw: found.value,
  };
}

function genres(bag: TagBag): MappedTag<'genres'> | undefined {
  const values = bag.genre ?? [];
  const list = splitGenres(values.join(';'));
  return list.length
    ? { field: 'genres', value: list, confidence: 0.6, key: 'genre', raw: values.join('; ') }
    : undefined;
}

/**
 * series/show/mvnm + series-part/episode_id/mvin/part; several series when both sides hold the
 * same number of `;`-separated values; else grouping "Name #1; Other #2".
 */
export function mapSeries(bag: TagBag): MappedTag<'series'> | undefined {
  const name = firstOf(bag, 'series', 'show', 'mvnm');
  const part = firstOf(bag, 'series-part', 'series_part', 'episode_id', 'mvin', 'part');
  if (name) {
    const names = name.value.split(';').map((n) => n.trim());
    const parts = part?.value.split(';').map((p) => p.trim()) ?? [];
    const series: SeriesEntry[] =
      names.length > 1 && names.length === parts.length
        ? names.filter(Boolean).map((n, i) => ({ name: n, sequence: sequenceAsWritten(parts[i]) }))
        : [{ name: name.value, sequence: sequenceAsWritten(part?.value) }];
    return {
      field: 'series',
      value: series,
      confidence: 0.75,
      key: name.key,
      raw: `${name.value} #${part?.value ?? ''}`,
    };
  }
  const grouping = firstOf(bag, 'grouping', 'grp1');
  const list = parseSeriesList(grouping?.value);
  return grouping && list.length
    ? { field: 'series', value: list, confidence: 0.6, key: grouping.key, raw: grouping.value }
    : undefined;
}

function identifier<F extends 'asin' | 'isbn'>(
  bag: TagBag,
  field: F,
  keys: string[],
  normalize: (v: string) => string | undefined,
  confidence: number,
): MappedTag<F> | undefined {
  for (const key of keys) {
    for (const raw of bag[key] ?? []) {
      const value = normalize(raw);
      if (value) return { field, value: value as CanonicalMetadata[F], confidence, key, raw };
    }
  }
  return undefined;
}
