import { XMLBuilder } from 'fast-xml-parser';
import type { PartialMetadata } from '../domain/metadata.js';
import { hasValue } from '../domain/metadata.js';
import { SCHEMA_VERSION } from '../domain/versioning.js';
import { htmlToPlainText } from './html.js';
import { xmlSafe } from './xml-text.js';

type XmlNode = Record<string, unknown>;

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

function put(node: XmlNode, name: string, value: string | number | undefined): void {
  if (value === undefined) return;
  const text = xmlSafe(String(value)).trim();
  if (hasValue(text)) node[name] = text;
}

function putList(node: XmlNode, name: string, values: string[] | undefined): void {
  const kept = (values ?? []).map((v) => xmlSafe(v).trim()).filter(Boolean);
  if (kept.length) node[name] = kept;
}

function tracks(m: PartialMetadata): XmlNode[] {
  return (m.chapters ?? []).map((c, i) => ({
    position: i + 1,
    title: xmlSafe(c.title).trim() || `Chapter ${i + 1}`,
    // Kodi reads track durations as whole seconds.
    duration: Math.max(0, Math.round(c.end - c.start)),
  }));
}

/**
 * A Kodi-style album NFO for an audiobook (`<album>`), which Kodi and Jellyfin read and Plex agents
 * such as XBMCnfoMusicImporter understand: title, artist per author, genres, year, label, review (plain
 * text), rating and a track per chapter. Audiobook-only facts (narrators, series, ASIN/ISBN) are extra
 * elements those readers ignore and our tools can use.
 */
export function buildNfo(m: PartialMetadata): string {
  const album: XmlNode = {};
  put(album, 'title', m.title);
  put(album, 'subtitle', m.subtitle);
  putList(
    album,
    'artist',
    m.authors?.map((a) => a.name),
  );
  putList(album, 'narrator', m.narrators);
  putList(album, 'genre', m.genres);
  putList(album, 'style', m.tags);
  put(album, 'year', m.publishedYear ?? m.publishedDate?.slice(0, 4));
  put(album, 'releasedate', m.publishedDate);
  put(album, 'label', m.publisher);
  put(album, 'review', m.description === undefined ? undefined : htmlToPlainText(m.description));
  if (m.rating !== undefined) album.rating = { '#text': String(m.rating), '@_max': '5' };
  const series = (m.series ?? []).map((s) => ({
    name: xmlSafe(s.name).trim(),
    ...(s.sequence ? { sequence: s.sequence } : {}),
  }));
  if (series.length) album.series = series;
  put(album, 'language', m.language);
  put(album, 'isbn', m.isbn);
  put(album, 'asin', m.asin);
  if (m.abridged !== undefined) album.abridged = String(m.abridged);
  if (m.explicit !== undefined) album.explicit = String(m.explicit);
  const t = tracks(m);
  if (t.length) album.track = t;
  album.generator = { '#text': 'abs-metadata-bridge', '@_schemaVersion': SCHEMA_VERSION };
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' },
    album,
  }) as string;
}
