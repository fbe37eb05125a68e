import type { Config } from '../../config/schema.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { foldText } from '../../matching/normalize.js';

/**
 * Genre and tag rules: provider terms mapped to the library's own vocabulary. A term may map to
 * several ("Science Fiction & Fantasy" → "Science Fiction", "Fantasy"), be blocked ("Unabridged"),
 * or become a tag instead of a genre; spelling and case are folded ("sci-fi" and "Sci Fi" are one
 * term), duplicates dropped, and the genres capped. Pure: the pipeline applies it to what a match
 * writes, `abs-bridge genres --preview` to what the library holds.
 */
export type GenreRules = Config['genres'];

export interface RuledTerms {
  genres: string[];
  tags: string[];
  /** What the rules did, for the record ("mapped by rule: …"). */
  notes: string[];
}

export function applyGenreRules(
  genres: readonly string[],
  tags: readonly string[],
  rules: GenreRules,
): RuledTerms {
  const map = new Map(Object.entries(rules.map).map(([from, to]) => [foldText(from), to]));
  const blocked = new Set(rules.block.map(foldText));
  const asTags = new Set(rules.toTags.map(foldText));
  const notes: string[] = [];
  const outGenres: string[] = [];
  const outTags = [...tags];
  const seen = new Set<string>();
  const seenTags = new Set(tags.map(foldText));
  for (const term of genres) {
    const k = foldText(term);
    if (blocked.has(k)) {
      notes.push(`blocked by rule: "${term}"`);
      continue;
    }
    if (asTags.has(k)) {
      if (!seenTags.has(k)) outTags.push(term);
      seenTags.add(k);
      notes.push(`made a tag by rule: "${term}"`);
      continue;
    }
    const mapped = map.get(k);
    if (mapped) notes.push(`mapped by rule: "${term}" → ${mapped.join(', ')}`);
    for (const g of mapped ?? [term]) {
      const key = foldText(g);
      if (blocked.has(key) || seen.has(key)) continue;
      seen.add(key);
      outGenres.push(g);
    }
  }
  if (outGenres.length > rules.max) {
    notes.push(`capped at ${rules.max} genres: dropped ${outGenres.slice(rules.max).join(', ')}`);
    outGenres.length = rules.max;
  }
  const keptTags = outTags.filter((t) => !blocked.has(foldText(t)));
  return { genres: outGenres, tags: keptTags, notes };
}

/**
 * What a match writes once the rules ran: the providers' genres mapped, terms made tags added to
 * the book's tags (a union: a person's tags stay), and with `tidyExisting` the book's own genres
 * tidied when the field policy would otherwise keep them. Returns the policy to plan with: genres
 * and tags derived from the book's own values may replace them.
 */
export function withGenreRules(
  desired: PartialMetadata,
  current: { genres: string[]; tags: string[] },
  config: Pick<Config, 'genres'> & { bridge: Config['bridge'] },
): { desired: PartialMetadata; bridge: Config['bridge']; notes: string[] } {
  const rules = config.genres;
  if (!rules.enabled) return { desired, bridge: config.bridge, notes: [] };
  const policyOf = (f: 'genres' | 'tags') => config.bridge.fieldPolicy[f] ?? config.bridge.defaultPolicy;
  const keepsCurrent = policyOf('genres') === 'fill-empty' && current.genres.length > 0;
  const source = keepsCurrent && rules.tidyExisting ? current.genres : (desired.genres ?? []);
  const ruled = applyGenreRules(source, current.tags, rules);
  const out: PartialMetadata = { ...desired, genres: ruled.genres };
  const fieldPolicy = { ...config.bridge.fieldPolicy };
  if (keepsCurrent && rules.tidyExisting && fieldPolicy.genres !== 'locked') fieldPolicy.genres = 'overwrite';
  if (ruled.tags.length !== current.tags.length || ruled.tags.some((t, i) => t !== current.tags[i])) {
    out.tags = ruled.tags;
    if (fieldPolicy.tags !== 'locked') fieldPolicy.tags = 'overwrite';
  }
  return { desired: out, bridge: { ...config.bridge, fieldPolicy }, notes: ruled.notes };
}

/** One book's genres and tags before and after the rules (a preview row). */
export interface GenreChange {
  itemId: string;
  title?: string;
  genres: { before: string[]; after: string[] };
  tags: { before: string[]; after: string[] };
  notes: string[];
}

/**
 * What the rules would make of a book's own genres and tags; null when nothing would change.
 * Used by `abs-bridge genres --preview` and the page's preview (`POST /api/genre-rules/preview`).
 */
export function genreChange(
  item: { id: string; media: { metadata: { title?: string | null; genres?: string[] }; tags?: string[] } },
  rules: GenreRules,
): GenreChange | null {
  const genres = item.media.metadata.genres ?? [];
  const tags = item.media.tags ?? [];
  const ruled = applyGenreRules(genres, tags, rules);
  const same = (a: readonly string[], b: readonly string[]) => a.join('\u0001') === b.join('\u0001');
  if (same(ruled.genres, genres) && same(ruled.tags, tags)) return null;
  const title = item.media.metadata.title ?? undefined;
  return {
    itemId: item.id,
    ...(title ? { title } : {}),
    genres: { before: genres, after: ruled.genres },
    tags: { before: tags, after: ruled.tags },
    notes: ruled.notes,
  };
}
