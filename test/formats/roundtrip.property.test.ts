import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalMetadata, PartialMetadata, SeriesEntry } from '../../src/domain/metadata.js';
import { hasValue } from '../../src/domain/metadata.js';
import { buildAbsMetadataJson, parseAbsMetadataJson } from '../../src/formats/abs-metadata-json.js';
import { sanitizeDescription } from '../../src/formats/html.js';
import { buildOpf, parseOpf } from '../../src/formats/opf.js';
import { xmlSafe } from '../../src/formats/xml-text.js';
import { canonicalRecord } from './arbitraries.js';

/*
 * What each format carries, and how values come back (also in docs/exporters.md):
 * - metadata.json: title, subtitle, authors (names), narrators, series, genres, tags, chapters,
 *   description (ABS-sanitised), publisher, publishedYear, publishedDate, isbn, asin, language,
 *   explicit and abridged (absent → false). Strings come back exactly; blank ones are absent; list
 *   entries are trimmed, blank ones dropped, duplicates removed (as ABS reads them).
 * - OPF: the same minus chapters, plus rating; values are trimmed, XML-forbidden characters
 *   dropped, CR/CRLF read as LF; explicit/abridged only when set.
 */

function compact(m: PartialMetadata): PartialMetadata {
  for (const key of Object.keys(m) as (keyof PartialMetadata)[]) if (m[key] === undefined) delete m[key];
  return m;
}

function cleanList(list: string[] | undefined, clean: (s: string) => string): string[] | undefined {
  const kept = [...new Set((list ?? []).map(clean).filter((s) => s.length > 0))];
  return kept.length ? kept : undefined;
}

function dedupeSeries(series: SeriesEntry[], sameKey: (a: SeriesEntry, b: SeriesEntry) => boolean) {
  const kept = series.filter((s, i) => series.findIndex((o) => sameKey(o, s)) === i);
  return kept.length ? kept : undefined;
}

function expectedFromAbsJson(m: CanonicalMetadata): PartialMetadata {
  const scalar = (v: string | undefined) => (v !== undefined && hasValue(v) ? v : undefined);
  const trim = (s: string) => s.trim();
  const description = sanitizeDescription(m.description ?? '');
  return compact({
    title: scalar(m.title),
    subtitle: scalar(m.subtitle),
    authors: cleanList(
      m.authors?.map((a) => a.name),
      trim,
    )?.map((name) => ({ name })),
    narrators: cleanList(m.narrators, trim),
    series: dedupeSeries(m.series ?? [], (a, b) => a.name === b.name && a.sequence === b.sequence),
    genres: cleanList(m.genres, trim),
    tags: cleanList(m.tags, trim),
    chapters: m.chapters?.length ? m.chapters : undefined,
    description: hasValue(description) ? description : undefined,
    publisher: scalar(m.publisher),
    publishedYear: scalar(m.publishedYear),
    publishedDate: scalar(m.publishedDate),
    isbn: scalar(m.isbn),
    asin: scalar(m.asin),
    language: scalar(m.language),
    explicit: !!m.explicit,
    abridged: !!m.abridged,
  });
}

const xmlText = (s: string) => xmlSafe(s).replace(/\r\n?/g, '\n').trim();

function expectedFromOpf(m: CanonicalMetadata): PartialMetadata {
  const scalar = (v: string | undefined) => (v === undefined ? undefined : xmlText(v) || undefined);
  const series = (m.series ?? [])
    .map((s) => ({
      name: xmlText(s.name),
      sequence: s.sequence === null ? null : xmlText(s.sequence) || null,
    }))
    .filter((s) => s.name);
  return compact({
    title: scalar(m.title),
    subtitle: scalar(m.subtitle),
    authors: cleanList(
      m.authors?.map((a) => a.name),
      xmlText,
    )?.map((name) => ({ name })),
    narrators: cleanList(m.narrators, xmlText),
    series: dedupeSeries(series, (a, b) => a.name === b.name),
    genres: cleanList(m.genres, xmlText),
    tags: cleanList(m.tags, xmlText),
    description: scalar(
      m.description === undefined ? undefined : sanitizeDescription(xmlSafe(m.description)),
    ),
    publisher: scalar(m.publisher),
    publishedYear: scalar(m.publishedYear),
    publishedDate: scalar(m.publishedDate),
    isbn: scalar(m.isbn),
    asin: scalar(m.asin),
    language: scalar(m.language),
    explicit: m.explicit,
    abridged: m.abridged,
    rating: m.rating,
  });
}

describe('round trips over generated records', () => {
  it('metadata.json: parse(build(m)) gives back every field the format carries', () => {
    fc.assert(
      fc.property(canonicalRecord, (m) => {
        expect(parseAbsMetadataJson(buildAbsMetadataJson(m), 'generated')).toEqual(expectedFromAbsJson(m));
      }),
      { numRuns: 400 },
    );
  });

  it('metadata.json: building again from what was read changes nothing (no write loops)', () => {
    fc.assert(
      fc.property(canonicalRecord, (m) => {
        const once = buildAbsMetadataJson(m);
        expect(buildAbsMetadataJson(parseAbsMetadataJson(once, 'generated'))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('OPF: parse(build(m)) gives back every field the format carries', () => {
    fc.assert(
      fc.property(canonicalRecord, (m) => {
        expect(parseOpf(buildOpf(m), 'generated')).toEqual(expectedFromOpf(m));
      }),
      { numRuns: 400 },
    );
  });
});
