import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { CanonicalMetadata, PartialMetadata } from '../domain/metadata.js';
import { hasValue } from '../domain/metadata.js';
import { SCHEMA_VERSION } from '../domain/versioning.js';
import { sanitizeDescription } from './html.js';
import { fileAs, xmlSafe } from './xml-text.js';

export { parseOpf, readOpfSchemaVersion } from './opf-parse.js';

/** Name of the `<meta>` that records the canonical schema version an OPF was written with. */
export const OPF_SCHEMA_META = 'abs-bridge:schema-version';
/** Our own `<meta>` names for fields Dublin Core and Calibre have no element for. */
export const OPF_BRIDGE_META = {
  explicit: 'abs-bridge:explicit',
  abridged: 'abs-bridge:abridged',
} as const;

/** Options for buildOpf. */
export interface BuildOpfOptions {
  /** Written as `<dc:contributor opf:role="bkp">` so other tools can tell who made the file. @default 'abs-metadata-bridge' */
  generator?: string;
}

type XmlNode = Record<string, unknown>;

const text = (value: string): string => xmlSafe(value).trim();
const has = (value: string | undefined): value is string => value !== undefined && hasValue(xmlSafe(value));

function creators(m: PartialMetadata): XmlNode[] {
  const authors = (m.authors ?? []).filter((a) => has(a.name));
  const narrators = (m.narrators ?? []).filter(has);
  return [
    ...authors.map((a) => ({
      '#text': text(a.name),
      '@_opf:role': 'aut',
      '@_opf:file-as': fileAs(text(a.name)),
    })),
    ...narrators.map((n) => ({ '#text': text(n), '@_opf:role': 'nrt', '@_opf:file-as': fileAs(text(n)) })),
  ];
}

/** The unique identifier OPF 2.0 requires: ISBN, else ASIN, else a stable hash of title and authors. */
function identifiers(m: PartialMetadata): XmlNode[] {
  const ids: XmlNode[] = [];
  if (has(m.isbn)) ids.push({ '#text': text(m.isbn), '@_opf:scheme': 'ISBN' });
  if (has(m.asin)) ids.push({ '#text': text(m.asin), '@_opf:scheme': 'ASIN' });
  if (ids.length === 0) {
    const seed = JSON.stringify([m.title ?? '', (m.authors ?? []).map((a) => a.name)]);
    const digest = createHash('sha256').update(seed).digest('hex').slice(0, 32);
    ids.push({ '#text': `urn:abs-bridge:${digest}`, '@_opf:scheme': 'abs-bridge' });
  }
  (ids[0] as XmlNode)['@_id'] = 'BookId';
  return ids;
}

/** Dates: the original year and this edition's date, each marked with its opf:event so both survive. */
function dates(m: PartialMetadata): XmlNode[] {
  const out: XmlNode[] = [];
  if (has(m.publishedYear))
    out.push({ '#text': text(m.publishedYear), '@_opf:event': 'original-publication' });
  if (has(m.publishedDate)) out.push({ '#text': text(m.publishedDate), '@_opf:event': 'publication' });
  return out;
}

function metas(m: PartialMetadata): XmlNode[] {
  const out: XmlNode[] = [];
  // ABS pairs each calibre:series with the calibre:series_index directly after it, so order matters.
  for (const s of m.series ?? []) {
    if (!has(s.name)) continue;
    out.push({ '@_name': 'calibre:series', '@_content': text(s.name) });
    if (s.sequence !== null && has(s.sequence))
      out.push({ '@_name': 'calibre:series_index', '@_content': text(s.sequence) });
  }
  // Calibre rates 0..10 (half stars); the canonical rating is 0..5.
  if (m.rating !== undefined) out.push({ '@_name': 'calibre:rating', '@_content': String(m.rating * 2) });
  if (m.explicit !== undefined)
    out.push({ '@_name': OPF_BRIDGE_META.explicit, '@_content': String(m.explicit) });
  if (m.abridged !== undefined)
    out.push({ '@_name': OPF_BRIDGE_META.abridged, '@_content': String(m.abridged) });
  out.push({ '@_name': OPF_SCHEMA_META, '@_content': SCHEMA_VERSION });
  return out;
}

function optional(name: string, value: string | undefined): XmlNode {
  return has(value) ? { [name]: text(value) } : {};
}

function list(name: string, values: string[] | undefined): XmlNode {
  const kept = (values ?? []).filter(has).map(text);
  return kept.length ? { [name]: kept } : {};
}

/** The `<metadata>` element's children, in the order Calibre writes them. */
function metadataElement(m: PartialMetadata, generator: string): XmlNode {
  const description = m.description === undefined ? undefined : sanitizeDescription(xmlSafe(m.description));
  return {
    '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    '@_xmlns:opf': 'http://www.idpf.org/2007/opf',
    ...optional('dc:title', m.title),
    // Not Dublin Core, but ABS reads dc:subtitle; other readers ignore it.
    ...optional('dc:subtitle', m.subtitle),
    'dc:creator': creators(m),
    'dc:contributor': { '#text': generator, '@_opf:role': 'bkp' },
    ...optional('dc:description', description),
    ...optional('dc:publisher', m.publisher),
    'dc:date': dates(m),
    ...optional('dc:language', m.language),
    'dc:identifier': identifiers(m),
    ...list('dc:subject', m.genres),
    // Not Dublin Core either; ABS reads dc:tag into the item's tags.
    ...list('dc:tag', m.tags),
    meta: metas(m),
  };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  // Otherwise content="true" would be written as a bare (invalid XML) boolean attribute.
  suppressBooleanAttributes: false,
});

/**
 * Renders OPF 2.0 package metadata as ABS (`parseOpfMetadata.js`) and Calibre read it. All escaping is
 * done by fast-xml-parser's builder; characters XML cannot carry are dropped and values are trimmed.
 * Ends with a newline. See docs/exporters.md for exactly which canonical fields an OPF carries.
 */
export function buildOpf(metadata: CanonicalMetadata | PartialMetadata, opts: BuildOpfOptions = {}): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    package: {
      '@_xmlns': 'http://www.idpf.org/2007/opf',
      '@_unique-identifier': 'BookId',
      '@_version': '2.0',
      metadata: metadataElement(metadata, opts.generator ?? 'abs-metadata-bridge'),
    },
  };
  return builder.build(doc) as string;
}
