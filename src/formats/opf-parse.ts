import { XMLParser } from 'fast-xml-parser';
import type { PartialMetadata } from '../domain/metadata.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../domain/versioning.js';
import { ValidationError } from '../errors.js';
import { bridgeMeta, series } from './opf-series.js';

type Node = Record<string, unknown>;

/** Elements that may repeat; everything else is read as a single node. */
const REPEATED = new Set([
  'title',
  'subtitle',
  'creator',
  'identifier',
  'subject',
  'tag',
  'date',
  'meta',
  'language',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Other tools write dc:/opf:/ns0: prefixes interchangeably; the local names are what matter.
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

function textOf(node: unknown): string | undefined {
  const raw =
    typeof node === 'string' ? node : node && typeof node === 'object' ? (node as Node)['#text'] : undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const value = String(raw).replace(/\r\n?/g, '\n').trim();
  return value || undefined;
}

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as Node)[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}

function arr(node: unknown): unknown[] {
  return Array.isArray(node) ? node : node === undefined ? [] : [node];
}

function unique(values: (string | undefined)[]): string[] | undefined {
  const kept = [...new Set(values.filter((v): v is string => !!v))];
  return kept.length ? kept : undefined;
}

/** OPF 3 `<meta refines="#id" property="…">` values, keyed by the referenced id. */
function refinements(meta: unknown[]): Map<string, Map<string, string>> {
  const map = new Map<string, Map<string, string>>();
  for (const m of meta) {
    const ref = attr(m, 'refines');
    const prop = attr(m, 'property');
    const value = textOf(m);
    if (!ref?.startsWith('#') || !prop || !value) continue;
    const entry = map.get(ref.slice(1)) ?? new Map<string, string>();
    if (!entry.has(prop)) entry.set(prop, value);
    map.set(ref.slice(1), entry);
  }
  return map;
}

function creators(
  md: Node,
  refs: Map<string, Map<string, string>>,
): { authors?: string[]; narrators?: string[] } {
  const authors: string[] = [];
  const narrators: string[] = [];
  for (const c of arr(md.creator)) {
    const name = textOf(c);
    if (!name) continue;
    const id = attr(c, 'id');
    // No role at all means author, as in Dublin Core practice and Calibre.
    const role = ((id && refs.get(id)?.get('role')) || attr(c, 'role') || 'aut').toLowerCase();
    if (role === 'aut') authors.push(name);
    else if (role === 'nrt') narrators.push(name);
  }
  return { authors: unique(authors), narrators: unique(narrators) };
}

const ISBN_TEXT = /^(?:urn:)?isbn:\s*(.+)$/i;
const ASIN_TEXT = /^(?:urn:)?(?:asin|amazon|mobi-asin):\s*(.+)$/i;

/** ISBN and ASIN from `opf:scheme` attributes or the text forms `urn:isbn:…`, `ASIN:…`. */
function identifiers(md: Node): { isbn?: string; asin?: string } {
  let isbn: string | undefined;
  let asin: string | undefined;
  for (const node of arr(md.identifier)) {
    const value = textOf(node);
    if (!value) continue;
    const scheme = (attr(node, 'scheme') ?? '').toUpperCase();
    if (scheme === 'ISBN') isbn ??= value.replace(ISBN_TEXT, '$1');
    else if (['ASIN', 'MOBI-ASIN', 'AMAZON', 'AUDIBLE'].includes(scheme))
      asin ??= value.replace(ASIN_TEXT, '$1');
    else if (ISBN_TEXT.test(value)) isbn ??= value.replace(ISBN_TEXT, '$1');
    else if (ASIN_TEXT.test(value)) asin ??= value.replace(ASIN_TEXT, '$1');
  }
  return { isbn, asin };
}

/** dc:date elements: marked ones by opf:event, unmarked ones (other tools) by their shape. */
function dates(md: Node): { publishedYear?: string; publishedDate?: string } {
  let publishedYear: string | undefined;
  let publishedDate: string | undefined;
  let unmarked: string | undefined;
  for (const node of arr(md.date)) {
    const value = textOf(node);
    const event = attr(node, 'event')?.toLowerCase();
    if (!value) continue;
    if (event === 'original-publication') publishedYear ??= value;
    else if (event === 'publication') publishedDate ??= value;
    else unmarked ??= value;
  }
  if (unmarked) {
    const iso = /^(\d{4})(?:-(\d{2})-(\d{2}))?/.exec(unmarked);
    if (iso?.[2]) publishedDate ??= `${iso[1]}-${iso[2]}-${iso[3]}`;
    if (iso?.[1]) publishedYear ??= iso[1];
  }
  return { publishedYear, publishedDate };
}

function metaByName(meta: unknown[]): [string, string][] {
  return meta
    .map((m) => [attr(m, 'name'), attr(m, 'content')] as const)
    .filter((p): p is readonly [string, string] => !!p[0] && p[1] !== undefined)
    .map(([n, c]) => [n, c]);
}

function rootMetadata(xml: string, source: string): Node {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (cause) {
    throw new ValidationError(source, [`not well-formed XML: ${(cause as Error).message}`], { cause });
  }
  const pkg = doc.package;
  const md = pkg && typeof pkg === 'object' ? (pkg as Node).metadata : undefined;
  if (!md || typeof md !== 'object') throw new ValidationError(source, ['no <package><metadata> element']);
  return (Array.isArray(md) ? md[0] : md) as Node;
}

/**
 * Reads OPF package metadata (OPF 2 as Calibre/ABS/we write it, OPF 3 refines and
 * belongs-to-collection) into canonical fields. Values are trimmed; absent or empty ones stay absent.
 * @throws ValidationError naming `source` when the XML is malformed or has no package metadata.
 */
export function parseOpf(xml: string, source: string): PartialMetadata {
  const md = rootMetadata(xml, source);
  const meta = arr(md.meta);
  const refs = refinements(meta);
  const named = metaByName(meta);
  const { authors, narrators } = creators(md, refs);
  const out: PartialMetadata = {
    title: textOf(arr(md.title)[0]),
    subtitle: textOf(arr(md.subtitle)[0]),
    authors: authors?.map((name) => ({ name })),
    narrators,
    series: series(named, meta, refs),
    genres: unique(arr(md.subject).map(textOf)),
    tags: unique(arr(md.tag).map(textOf)),
    description: textOf(md.description),
    publisher: textOf(md.publisher),
    language: textOf(arr(md.language)[0]),
    ...dates(md),
    ...identifiers(md),
    ...bridgeMeta(named),
  };
  for (const key of Object.keys(out) as (keyof PartialMetadata)[])
    if (out[key] === undefined) delete out[key];
  return out;
}

/** The canonical schema version an OPF was written with (our `<meta>`), or undefined for foreign OPFs. */
export function readOpfSchemaVersion(xml: string, source: string): string | undefined {
  const md = rootMetadata(xml, source);
  return metaByName(arr(md.meta)).find(([n]) => n === 'abs-bridge:schema-version')?.[1];
}

/**
 * Parses an OPF and checks the schema version it was written with. The OPF mapping itself has not
 * changed between our schema versions, so an older version needs no field migration; a version this
 * build does not know (or a newer one) is refused rather than half-read.
 * @throws ValidationError naming `source` and the version.
 */
export function parseOpfVersioned(
  xml: string,
  source: string,
): { metadata: PartialMetadata; schemaVersion?: string; migratedFrom?: string } {
  const metadata = parseOpf(xml, source);
  const schemaVersion = readOpfSchemaVersion(xml, source);
  if (!schemaVersion || schemaVersion === SCHEMA_VERSION) return { metadata, schemaVersion };
  if (!MIGRATIONS.some((m) => m.from === schemaVersion)) {
    throw new ValidationError(source, [
      `unknown schema version "${schemaVersion}" (this build reads up to ${SCHEMA_VERSION})`,
    ]);
  }
  return { metadata, schemaVersion: SCHEMA_VERSION, migratedFrom: schemaVersion };
}
