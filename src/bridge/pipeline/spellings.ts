import type { LibraryNames } from '../../abs/types.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { uniqueBy } from '../../domain/unique.js';
import { foldText } from '../../matching/normalize.js';
import { splitPeople } from '../../providers/network/text.js';

/**
 * One spelling per person and series. Before a match is written, each author, narrator and
 * series name is compared with the names the ABS library already has; a name ABS holds in another
 * spelling ("J. R. R. Tolkien" for "J.R.R. Tolkien", "Tolkien, J.R.R.", "Tolkién") is written in
 * ABS's spelling, so a match never creates a second author or series for the same one. A configured
 * alias list (`bridge.aliases`: canonical name → other spellings) covers what folding cannot.
 * Narrator strings holding several people ("A, B and C") are split first.
 */

/** The spelling-free key of a person's name: diacritics, case, dots, spacing, "Last, First". */
export function personKey(name: string): string {
  const [last, first, ...more] = name.split(',');
  const ordered = last?.trim() && first?.trim() && more.length === 0 ? `${first} ${last}` : name;
  // Initials: "j r r tolkien" → "jrr tolkien" (a run of single letters is one token).
  const out: string[] = [];
  let afterInitial = false;
  for (const t of foldText(ordered).split(' ')) {
    const initial = t.length === 1 && /\p{L}/u.test(t);
    if (initial && afterInitial) out[out.length - 1] += t;
    else out.push(t);
    afterInitial = initial;
  }
  return out.join(' ');
}

/** A series key: a person key without a leading article ("The Expanse" = "Expanse"). */
export function seriesKey(name: string): string {
  return personKey(name).replace(/^(?:the|a|an) /, '');
}

export interface SpellingRules {
  /** Canonical name → other spellings of the same person or series. */
  aliases: Record<string, string[]>;
}

/** Looks names up in what a library already has, and learns the names the bridge writes. */
export class LibrarySpellings {
  readonly #load: (libraryId: string) => Promise<LibraryNames | null>;
  readonly #ttlMs: number;
  readonly #rules: SpellingRules;
  readonly #libraries = new Map<string, { at: number; names: Promise<Known> }>();

  constructor(
    load: (libraryId: string) => Promise<LibraryNames | null>,
    rules: SpellingRules,
    ttlMs = 60_000,
  ) {
    this.#load = load;
    this.#rules = rules;
    this.#ttlMs = ttlMs;
  }

  /**
   * `metadata` with names in the library's spelling; `notes` says what was respelt. A library
   * whose names cannot be read (an older ABS, the fake) only gets aliases and narrator splits.
   */
  async respell(
    libraryId: string,
    metadata: PartialMetadata,
  ): Promise<{ metadata: PartialMetadata; notes: string[] }> {
    const known = await this.#known(libraryId);
    const notes: string[] = [];
    const pick = (kind: 'authors' | 'narrators' | 'series', name: string): string => {
      const key = kind === 'series' ? seriesKey : personKey;
      const alias = this.#alias(key, name);
      const found = known[kind].get(key(alias)) ?? alias;
      if (found !== name) notes.push(`${kind}: "${name}" written as "${found}"`);
      return found;
    };
    const out: PartialMetadata = { ...metadata };
    if (metadata.authors)
      out.authors = uniqueBy(
        metadata.authors.map((a) => ({ ...a, name: pick('authors', a.name) })),
        (a) => personKey(a.name),
      );
    if (metadata.narrators) {
      const split = metadata.narrators.flatMap((n) => (/,|&|;|\band\b/i.test(n) ? splitPeople(n) : [n]));
      if (split.length !== metadata.narrators.length)
        notes.push(`narrators: split into ${split.join(' | ')}`);
      out.narrators = uniqueBy(
        split.map((n) => pick('narrators', n)),
        personKey,
      );
    }
    if (metadata.series)
      out.series = uniqueBy(
        metadata.series.map((s) => ({ ...s, name: pick('series', s.name) })),
        (s) => seriesKey(s.name),
      );
    return { metadata: out, notes };
  }

  /** After a write: the names the library now has, so the next book reuses this spelling. */
  async learn(libraryId: string, metadata: PartialMetadata): Promise<void> {
    const known = await this.#known(libraryId);
    for (const a of metadata.authors ?? [])
      if (!known.authors.has(personKey(a.name))) known.authors.set(personKey(a.name), a.name);
    for (const n of metadata.narrators ?? [])
      if (!known.narrators.has(personKey(n))) known.narrators.set(personKey(n), n);
    for (const s of metadata.series ?? [])
      if (!known.series.has(seriesKey(s.name))) known.series.set(seriesKey(s.name), s.name);
  }

  #alias(key: (n: string) => string, name: string): string {
    const k = key(name);
    for (const [canonical, others] of Object.entries(this.#rules.aliases))
      if (key(canonical) === k || others.some((o) => key(o) === k)) return canonical;
    return name;
  }

  #known(libraryId: string): Promise<Known> {
    const cached = this.#libraries.get(libraryId);
    if (cached && Date.now() - cached.at < this.#ttlMs) return cached.names;
    const names = this.#load(libraryId)
      .catch(() => null)
      .then((n) => ({
        authors: index(n?.authors ?? [], personKey),
        narrators: index(n?.narrators ?? [], personKey),
        series: index(n?.series ?? [], seriesKey),
      }));
    this.#libraries.set(libraryId, { at: Date.now(), names });
    return names;
  }
}

interface Known {
  authors: Map<string, string>;
  narrators: Map<string, string>;
  series: Map<string, string>;
}

/** key → the library's spelling (the first one wins when ABS itself holds two). */
function index(names: readonly string[], key: (n: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) if (!out.has(key(n))) out.set(key(n), n);
  return out;
}
