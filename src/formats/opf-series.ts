import type { PartialMetadata, SeriesEntry } from '../domain/metadata.js';

type Node = Record<string, unknown>;

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as Node)[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}

function text(node: unknown): string | undefined {
  const raw = node && typeof node === 'object' ? (node as Node)['#text'] : node;
  return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
}

/**
 * Calibre series as ABS pairs them: each `calibre:series` takes the `calibre:series_index` right after
 * it; a lone series takes any series_index in the file (some tools write it elsewhere).
 */
function calibreSeries(named: [string, string][]): SeriesEntry[] {
  const result: SeriesEntry[] = [];
  named.forEach(([name, content], i) => {
    if (name !== 'calibre:series' || !content) return;
    const next = named[i + 1];
    result.push({
      name: content,
      sequence: next?.[0] === 'calibre:series_index' && next[1] ? next[1] : null,
    });
  });
  const only = result[0];
  if (result.length === 1 && only && only.sequence === null) {
    only.sequence = named.find(([n, c]) => n === 'calibre:series_index' && c)?.[1] ?? null;
  }
  return result;
}

/** OPF 3: `<meta property="belongs-to-collection" id="c">Name</meta>` + `refines="#c" group-position`. */
function collectionSeries(meta: unknown[], refs: Map<string, Map<string, string>>): SeriesEntry[] {
  return meta
    .filter((m) => attr(m, 'property') === 'belongs-to-collection' && !attr(m, 'refines'))
    .map((m) => {
      const id = attr(m, 'id');
      const props = id ? refs.get(id) : undefined;
      const type = props?.get('collection-type');
      if (type && type !== 'series') return undefined;
      const name = text(m);
      return name ? { name, sequence: props?.get('group-position') ?? null } : undefined;
    })
    .filter((s): s is SeriesEntry => !!s);
}

/** All series in an OPF, Calibre's first, de-duplicated by name (first wins, as in ABS). */
export function series(
  named: [string, string][],
  meta: unknown[],
  refs: Map<string, Map<string, string>>,
): SeriesEntry[] | undefined {
  const all = [...calibreSeries(named), ...collectionSeries(meta, refs)];
  const deduped = all.filter((s, i) => all.findIndex((o) => o.name === s.name) === i);
  return deduped.length ? deduped : undefined;
}

function parseBool(value: string | undefined): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Fields only we (and Calibre's rating) put in `<meta name=… content=…>`. */
export function bridgeMeta(named: [string, string][]): PartialMetadata {
  const get = (n: string) => named.find(([name]) => name === n)?.[1];
  const out: PartialMetadata = {};
  const explicit = parseBool(get('abs-bridge:explicit'));
  const abridged = parseBool(get('abs-bridge:abridged'));
  const rating = Number(get('calibre:rating'));
  if (explicit !== undefined) out.explicit = explicit;
  if (abridged !== undefined) out.abridged = abridged;
  // Calibre rates 0..10.
  if (get('calibre:rating') && Number.isFinite(rating) && rating >= 0 && rating <= 10)
    out.rating = rating / 2;
  return out;
}
