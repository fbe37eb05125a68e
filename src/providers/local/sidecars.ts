import path from 'node:path';
import { looksBinary } from '../../domain/binary-text.js';
import type { LookupContext } from '../../domain/lookup.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { emptyResult, type ProviderResult } from '../../domain/provider-result.js';
import { migrateMetadata, readVersioned } from '../../domain/versioning.js';
import { describeError } from '../../errors.js';
import { parseAbsMetadataJson } from '../../formats/abs-metadata-json.js';
import { parseOpfVersioned } from '../../formats/opf-parse.js';
import type { AsyncProvider } from '../types.js';
import { BOOK_FIELDS, defineLocalProvider, localCapabilities, localOptions } from './define.js';
import { type ItemFile, itemFilesOf } from './files.js';
import { normalizeLanguage, splitPeople } from './names.js';
import { parseNfo } from './nfo.js';
import { LocalResultBuilder } from './result.js';
import { readTextFile } from './text.js';

export const SIDECARS_PROVIDER_ID = 'local-sidecars';

/** Sidecars beside the audio: metadata.json, OPF, desc.txt, reader.txt, NFO, cover image. */
export const sidecarsDefinition = defineLocalProvider({
  id: SIDECARS_PROVIDER_ID,
  description: 'Sidecars beside the audio: metadata.json, OPF, desc.txt, reader.txt, NFO, cover image',
  optionsSchema: localOptions(0.9, {}),
  create: (options) => createSidecarsProvider({ weight: options.weight }),
});

/** A sidecar kind: how to recognise its file, how much to trust it, how to read it. */
interface SidecarReader {
  kind: string;
  matches(name: string): boolean;
  /** Trust 0..1 of every field it gives (ABS's precedence: metadata.json > OPF > txt > NFO). */
  trust: number;
  read(text: string, file: string): PartialMetadata;
}

/** In precedence order: the first reader that gives a field wins it. */
const READERS: SidecarReader[] = [
  { kind: 'metadata.json', trust: 0.9, matches: (n) => n === 'metadata.json', read: readMetadataJson },
  { kind: 'bridge.json', trust: 0.9, matches: (n) => n === 'bridge.json', read: readBridgeJson },
  {
    kind: 'opf',
    trust: 0.8,
    matches: (n) => n.endsWith('.opf'),
    read: (t, f) => parseOpfVersioned(t, f).metadata,
  },
  {
    kind: 'desc.txt',
    trust: 0.75,
    matches: (n) => n === 'desc.txt',
    read: (t) => ({ description: t.trim() }),
  },
  { kind: 'reader.txt', trust: 0.75, matches: (n) => n === 'reader.txt', read: readReaderTxt },
  { kind: 'nfo', trust: 0.7, matches: (n) => n.endsWith('.nfo'), read: (t) => parseNfo(t) },
];

const COVER_NAMES = /^(?:cover|folder)\.(?:jpe?g|png|webp)$/i;

/**
 * Reads the sidecars beside the audio: ABS metadata.json, our own older bridge.json (migrated),
 * OPF, desc.txt, reader.txt, NFO, and a cover image. A broken sidecar is a note; the others count.
 */
export function createSidecarsProvider(options: { weight: number }): AsyncProvider {
  return {
    id: SIDECARS_PROVIDER_ID,
    kind: 'local',
    mode: 'async',
    weight: options.weight,
    capabilities: localCapabilities(['search'], [...BOOK_FIELDS, 'tags', 'chapters', 'cover']),
    lookup: (ctx, { signal }) => readSidecars(ctx, signal),
  };
}

async function readSidecars(ctx: LookupContext, signal: AbortSignal): Promise<ProviderResult> {
  signal.throwIfAborted();
  const listing = await itemFilesOf(ctx);
  if (!listing) return emptyResult(SIDECARS_PROVIDER_ID);
  const builder = new LocalResultBuilder(SIDECARS_PROVIDER_ID);
  // Sidecars sit in the item folder itself, not in disc subfolders.
  const own = new Set(ctx.ownFiles ?? []);
  const top = listing.files.filter((f) => !f.rel.includes(path.sep) && !f.rel.includes('/'));
  for (const f of top.filter((f) => own.has(f.abs)))
    builder.note(`${f.abs}: written by the bridge and unchanged since, so not evidence`);
  let best = 0;
  for (const reader of READERS) {
    const mine = (f: ItemFile) => reader.matches(path.basename(f.rel).toLowerCase()) && !own.has(f.abs);
    for (const file of top.filter(mine)) {
      signal.throwIfAborted();
      if (await applyReader(reader, file, builder)) best = Math.max(best, reader.trust);
    }
  }
  const cover = top.find((f) => COVER_NAMES.test(path.basename(f.rel)));
  if (cover) builder.set('cover', { url: cover.abs }, { confidence: 0.7, source: cover.abs });
  const f = builder.fields;
  const match = Math.min(0.95, (best || 0.5) + (f.asin || f.isbn ? 0.05 : 0));
  return builder.build(match, f.asin ? 'asin' : f.isbn ? 'isbn' : 'search');
}

async function applyReader(
  reader: SidecarReader,
  file: ItemFile,
  builder: LocalResultBuilder,
): Promise<boolean> {
  try {
    const decoded = await readTextFile(file.abs);
    if (looksBinary(decoded.text)) {
      builder.note(`${file.abs}: ignored ${reader.kind} sidecar (binary data, not text)`);
      return false;
    }
    if (decoded.truncated) builder.note(`${file.abs}: larger than the read limit, only its start was read`);
    const fields = reader.read(decoded.text, file.abs);
    if (fields.language) fields.language = normalizeLanguage(fields.language) ?? fields.language;
    builder.setAll(fields, { confidence: reader.trust, source: file.abs });
    return Object.keys(fields).length > 0;
  } catch (error) {
    builder.note(`${file.abs}: ignored ${reader.kind} sidecar (${describeError(error)})`);
    return false;
  }
}

/** ABS's metadata.json; a `{schemaVersion, data}` wrapper in that name is one of ours. */
function readMetadataJson(text: string, file: string): PartialMetadata {
  const parsed = tryJson(text);
  if (parsed && typeof parsed === 'object' && 'schemaVersion' in parsed)
    return readVersioned(parsed, file).data;
  return parseAbsMetadataJson(text, file);
}

/** Our own older sidecar: a versioned wrapper, or the flat 1.0.0 shape without one. */
function readBridgeJson(text: string, file: string): PartialMetadata {
  const parsed = JSON.parse(text) as unknown;
  if (parsed && typeof parsed === 'object' && 'schemaVersion' in parsed)
    return readVersioned(parsed, file).data;
  return migrateMetadata(parsed, '1.0.0', file).data;
}

function readReaderTxt(text: string): PartialMetadata {
  const names = splitPeople(
    text
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .join(', '),
  );
  return names.length ? { narrators: names } : {};
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
