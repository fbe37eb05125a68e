import type { AbsClient } from '../../abs/types.js';
import type { Config } from '../../config/schema.js';
import { InvalidRequestError } from '../../errors.js';
import { type GenreChange, genreChange } from '../pipeline/genre-rules.js';
import { configForLibrary } from '../pipeline/library-policy.js';
import {
  type ActiveGenreRules,
  activeGenreRules,
  mergeGenreRules,
  parseGenreRules,
  type RuntimeSettings,
} from '../state/runtime-settings.js';
import {
  COMPLETENESS_FIELDS,
  type Completeness,
  type CompletenessSummary,
  completenessOf,
  summarize,
} from './completeness.js';

/** Which books a completeness listing shows. */
export interface CompletenessFilter {
  /** Only books scoring below 100. */
  incomplete?: boolean;
  /** Only books missing (or weak in) this field: a COMPLETENESS_FIELDS name. */
  missing?: string;
  limit: number;
  offset: number;
}

export interface CompletenessPage {
  libraryId: string;
  /** Over every book of the library, whatever the filter. */
  summary: CompletenessSummary;
  /** The filtered books, lowest score first. */
  books: Completeness[];
  /** How many books the filter kept (books is one page of them). */
  total: number;
}

export interface GenrePreview {
  libraryId: string;
  books: number;
  changed: number;
  /** The books that would change, in library order (the first `limit`). */
  rows: GenreChange[];
  /** The rule set the preview ran (config + the proposed rules, turned on). */
  rules: Config['genres'];
}

/**
 * The page's library hygiene: completeness and genre rules over ABS's listing (the minified
 * pages, no request per book). What the HTTP routes call; the scoring and the rules are the
 * bridge's own (completeness.ts, genre-rules.ts), shared with the CLI.
 */
export interface LibraryTidy {
  completeness(libraryId: string, filter: CompletenessFilter): Promise<CompletenessPage>;
  genreRules(): ActiveGenreRules;
  /** What the proposed rules (the page's part, over config.json's) would change, turned on. */
  previewGenreRules(libraryId: string, proposed: unknown, limit?: number): Promise<GenrePreview>;
  /** Saves the proposed rules turned on (settings.json): the bridge uses them from the next item. */
  turnOnGenreRules(proposed: unknown): Promise<ActiveGenreRules>;
}

export function createLibraryTidy(deps: {
  abs: Pick<AbsClient, 'iterateLibraryItems'>;
  config: Config;
  settings: RuntimeSettings;
}): LibraryTidy {
  const { abs, config, settings } = deps;
  const books = (libraryId: string) => abs.iterateLibraryItems(libraryId, { limit: 500 });
  const turnedOn = (proposed: unknown) => {
    const rules = parseGenreRules(proposed);
    return { ...rules, enabled: rules.enabled ?? true };
  };
  return {
    async completeness(libraryId, filter) {
      if (filter.missing !== undefined && !COMPLETENESS_FIELDS.includes(filter.missing))
        throw new InvalidRequestError('completeness', [
          `missing: unknown field "${filter.missing}" (known: ${COMPLETENESS_FIELDS.join(', ')})`,
        ]);
      const all: Completeness[] = [];
      for await (const item of books(libraryId)) if (!item.isMissing) all.push(completenessOf(item));
      const kept = all
        .filter(
          (c) =>
            (!filter.incomplete || c.score < 100) &&
            (!filter.missing || c.missing.includes(filter.missing) || c.weak.includes(filter.missing)),
        )
        .sort((a, b) => a.score - b.score || (a.title ?? '').localeCompare(b.title ?? ''));
      return {
        libraryId,
        summary: summarize(all),
        books: kept.slice(filter.offset, filter.offset + filter.limit),
        total: kept.length,
      };
    },
    genreRules: () => activeGenreRules(config.genres, settings.genres()),
    async previewGenreRules(libraryId, proposed, limit = 200) {
      const own = turnedOn(proposed);
      // As the pipeline would run them for this library: its own `libraries.<id>.genres` still win.
      const rules = configForLibrary(
        { ...config, genres: mergeGenreRules(config.genres, own) },
        libraryId,
      ).genres;
      const preview: GenrePreview = { libraryId, books: 0, changed: 0, rows: [], rules };
      for await (const item of books(libraryId)) {
        preview.books += 1;
        const change = genreChange(item, rules);
        if (!change) continue;
        preview.changed += 1;
        if (preview.rows.length < limit) preview.rows.push(change);
      }
      return preview;
    },
    async turnOnGenreRules(proposed) {
      await settings.saveGenres(turnedOn(proposed));
      return activeGenreRules(config.genres, settings.genres());
    },
  };
}
