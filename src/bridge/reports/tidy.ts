import type { CountedName } from '../../abs/types.js';
import { personKey, seriesKey } from '../pipeline/spellings.js';

/**
 * The duplicates a library already holds: authors, narrators and series that are one person or
 * series in different spellings ("J.R.R. Tolkien" and "J. R. R. Tolkien"), grouped by the same key
 * the bridge writes names with (spellings.ts), each with a merge plan: keep the spelling on the most
 * books, fold the others into it. A report only: nothing is changed.
 */
export interface DuplicateGroup {
  kind: 'authors' | 'narrators' | 'series';
  keep: CountedName;
  merge: CountedName[];
  /** Books that would carry the kept spelling afterwards. */
  books: number;
}

export function duplicateGroups(
  people: Record<'authors' | 'narrators' | 'series', CountedName[]>,
  aliases: Record<string, string[]> = {},
): DuplicateGroup[] {
  const out: DuplicateGroup[] = [];
  for (const kind of ['authors', 'narrators', 'series'] as const) {
    const key = kind === 'series' ? seriesKey : personKey;
    const aliasOf = new Map<string, string>();
    for (const [canonical, others] of Object.entries(aliases))
      for (const n of [canonical, ...others]) aliasOf.set(key(n), key(canonical));
    const groups = new Map<string, CountedName[]>();
    for (const n of people[kind]) {
      const k = aliasOf.get(key(n.name)) ?? key(n.name);
      groups.set(k, [...(groups.get(k) ?? []), n]);
    }
    for (const names of groups.values()) {
      if (names.length < 2) continue;
      // The alias list's canonical spelling wins; else the spelling on the most books.
      const canonical = (n: CountedName) => Number(n.name in aliases);
      const [keep, ...merge] = [...names].sort(
        (a, b) => canonical(b) - canonical(a) || b.books - a.books || a.name.localeCompare(b.name),
      );
      out.push({ kind, keep: keep as CountedName, merge, books: names.reduce((sum, n) => sum + n.books, 0) });
    }
  }
  return out;
}

/** `authors: keep "J. R. R. Tolkien" (3 books) ← "J.R.R. Tolkien" (1), "Tolkien, J.R.R." (1)` */
export function formatGroup(g: DuplicateGroup): string {
  const others = g.merge.map((m) => `"${m.name}" (${m.books})`).join(', ');
  return `${g.kind}: keep "${g.keep.name}" (${g.keep.books} books) ← ${others}`;
}
