import path from 'node:path';

/** One `pathMappings` entry: ABS's path prefix and where the same folder is mounted here. */
export interface PathMapping {
  abs: string;
  local: string;
}

/** Translates paths between ABS's view and this machine's mounts. */
export interface PathMapper {
  /** ABS path → local path; `null` when no mapping covers it (and mappings exist). */
  toLocal(absPath: string): string | null;
  /** Local path → ABS path; `null` when no mapping covers it (and mappings exist). */
  toAbs(localPath: string): string | null;
}

/** Forward slashes, no trailing separator (except the root itself), `.`/`..` resolved. */
function clean(p: string): string {
  const unified = p.replace(/\\/g, '/');
  const normal = path.posix.normalize(unified);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

/** `prefix` covers `p` only at a separator boundary: `/audiobooks` never matches `/audiobooks2`. */
function under(p: string, prefix: string): boolean {
  if (prefix === '/') return p.startsWith('/');
  return p === prefix || p.startsWith(`${prefix}/`);
}

function translate(p: string, pairs: [from: string, to: string][]): string | null {
  const target = clean(p);
  let best: [string, string] | undefined;
  for (const pair of pairs) {
    if (under(target, pair[0]) && (!best || pair[0].length > best[0].length)) best = pair;
  }
  if (!best) return null;
  const rest = best[0] === '/' ? target.slice(1) : target.slice(best[0].length + 1);
  if (rest === '') return best[1];
  return best[1] === '/' ? `/${rest}` : `${best[1]}/${rest}`;
}

/**
 * Longest-prefix mapping in both directions, separator-safe. With no mappings at all, paths
 * are the same on both sides (the bridge runs next to ABS), so they pass through unchanged.
 * @example createPathMapper([{ abs: '/audiobooks', local: '/mnt/books' }]).toLocal('/audiobooks/A/B') // '/mnt/books/A/B'
 */
export function createPathMapper(mappings: readonly PathMapping[]): PathMapper {
  const forward = mappings.map((m) => [clean(m.abs), clean(m.local)] as [string, string]);
  const backward = forward.map(([a, l]) => [l, a] as [string, string]);
  return {
    toLocal: (p) => (forward.length === 0 ? clean(p) : translate(p, forward)),
    toAbs: (p) => (backward.length === 0 ? clean(p) : translate(p, backward)),
  };
}
