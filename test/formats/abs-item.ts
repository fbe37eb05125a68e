import { readFileSync } from 'node:fs';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';

/** A recorded ABS item (trimmed to what exporters need). */
export interface AbsItemFixture {
  id: string;
  path: string;
  media: {
    metadata: Record<string, unknown> & {
      authors: { name: string }[];
      series: { name: string; sequence: string | null }[];
    };
    tags: string[];
    chapters: { start: number; end: number; title: string }[];
    audioFiles: { index: number; metadata: { relPath: string }; duration: number }[];
  };
}

export function loadFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/exporters/${name}`, import.meta.url), 'utf8');
}

export function loadItem(name: string): AbsItemFixture {
  return JSON.parse(loadFixture(`abs/${name}`)) as AbsItemFixture;
}

/** Maps an ABS item's stored media to canonical metadata, field by field (nulls become absent). */
export function itemToCanonical(item: AbsItemFixture): CanonicalMetadata {
  const md = item.media.metadata;
  const str = (key: string) => (typeof md[key] === 'string' ? (md[key] as string) : undefined);
  const out: CanonicalMetadata = {
    title: str('title'),
    subtitle: str('subtitle'),
    authors: md.authors.map((a) => ({ name: a.name })),
    narrators: md.narrators as string[],
    series: md.series.map((s) => ({ name: s.name, sequence: s.sequence })),
    genres: md.genres as string[],
    tags: item.media.tags,
    chapters: item.media.chapters.map(({ start, end, title }) => ({ start, end, title })),
    publishedYear: str('publishedYear'),
    publishedDate: str('publishedDate'),
    publisher: str('publisher'),
    description: str('description'),
    isbn: str('isbn'),
    asin: str('asin'),
    language: str('language'),
    explicit: md.explicit as boolean,
    abridged: md.abridged as boolean,
    customFields: {},
  };
  for (const key of Object.keys(out) as (keyof CanonicalMetadata)[])
    if (out[key] === undefined) delete out[key];
  return out;
}
