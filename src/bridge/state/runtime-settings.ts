import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, GenresSchema } from '../../config/schema.js';
import { describeIssue } from '../../config/unknown-keys.js';
import { ConfigError, InvalidRequestError } from '../../errors.js';
import { atomicWrite } from '../../fs/atomic-write.js';
import { foldText } from '../../matching/normalize.js';
import type { GenreRules } from '../pipeline/genre-rules.js';

/**
 * Settings a person changes while the service runs (the page's genre rules), kept in
 * `<dataDir>/settings.json` beside a read-only config.json. They are validated with the config's
 * own `genres` schema and layered over the config's top-level `genres` (a library's own
 * `libraries.<id>.genres` still wins for the keys it sets). The pipeline asks for the current
 * value per item, so a saved rule applies from the next item on.
 */
export class RuntimeSettings {
  readonly file: string;
  #genres: Partial<GenreRules> | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(file: string, genres?: Partial<GenreRules>) {
    this.file = file;
    this.#genres = genres;
  }

  /** The genre rules saved from the page (only the keys set there), or undefined. */
  genres(): Partial<GenreRules> | undefined {
    return this.#genres;
  }

  /** Validates and saves the page's genre rules (atomically); in effect for the next item. */
  async saveGenres(raw: unknown): Promise<Partial<GenreRules>> {
    const genres = parseGenreRules(raw);
    const write = this.#saving.then(async () => {
      await atomicWrite(this.file, `${JSON.stringify({ genres }, null, 2)}\n`);
    });
    // One write at a time, in call order; a failed write does not block the next one.
    this.#saving = write.catch(() => undefined);
    await write;
    this.#genres = genres;
    return genres;
  }
}

/** Reads `<dataDir>/settings.json` (absent: no settings); a broken file fails the start, naming it. */
export function openRuntimeSettings(dataDir: string): RuntimeSettings {
  const file = path.join(dataDir, 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new RuntimeSettings(file);
    throw new ConfigError([`${file}: not readable (${(error as Error).message})`], { cause: error });
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${file}: not JSON (${(error as Error).message})`], { cause: error });
  }
  const { genres, ...rest } = (stored ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ConfigError(unknown.map((k) => `${file}: ${k}: unknown key`));
  try {
    return new RuntimeSettings(file, genres === undefined ? undefined : parseGenreRules(genres));
  } catch (error) {
    throw new ConfigError(
      (error as InvalidRequestError).issues?.map((i) => `${file}: genres.${i}`) ?? [String(error)],
    );
  }
}

/**
 * Validates genre rules with the config's `genres` schema; every problem is named by its path
 * (an unknown key with the key it probably meant). Returns only the keys that were given, so the
 * config's values stay in effect for the rest.
 */
export function parseGenreRules(raw: unknown): Partial<GenreRules> {
  const parsed = GenresSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => describeIssue(GenresSchema, issue));
    throw new InvalidRequestError('genre rules', issues);
  }
  const given = Object.keys(raw as object);
  return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => given.includes(k)));
}

/**
 * The config's genre rules with the page's on top: its map entries replace the config's for the
 * same (folded) term, its blocked and tag terms are added, its switches and cap win.
 */
export function mergeGenreRules(base: GenreRules, own: Partial<GenreRules> | undefined): GenreRules {
  if (!own) return base;
  const ownTerms = new Set(Object.keys(own.map ?? {}).map(foldText));
  const union = (a: string[], b: string[] = []) => {
    const seen = new Set(a.map(foldText));
    return [...a, ...b.filter((t) => !seen.has(foldText(t)))];
  };
  return {
    enabled: own.enabled ?? base.enabled,
    map: {
      ...Object.fromEntries(Object.entries(base.map).filter(([term]) => !ownTerms.has(foldText(term)))),
      ...own.map,
    },
    block: union(base.block, own.block),
    toTags: union(base.toTags, own.toTags),
    max: own.max ?? base.max,
    tidyExisting: own.tidyExisting ?? base.tidyExisting,
  };
}

const layered = new WeakMap<Config, { own: Partial<GenreRules>; merged: Config }>();

/**
 * The config as the pipeline uses it now: the page's genre rules layered over config.json's.
 * The same config and the same saved rules give the same object, so what is worked out per
 * config (the unchanged digest) is not redone for every item.
 */
export function withRuntimeSettings(config: Config, settings: RuntimeSettings | undefined): Config {
  const own = settings?.genres();
  if (!own) return config;
  const last = layered.get(config);
  if (last?.own === own) return last.merged;
  const merged = { ...config, genres: mergeGenreRules(config.genres, own) };
  layered.set(config, { own, merged });
  return merged;
}

/** Where a rule comes from: config.json (read-only to the service) or the page's settings.json. */
export type RuleSource = 'config' | 'settings';

/** The rules in effect, each saying where it comes from (`GET /api/genre-rules`). */
export interface ActiveGenreRules {
  enabled: { value: boolean; source: RuleSource };
  max: { value: number; source: RuleSource };
  tidyExisting: { value: boolean; source: RuleSource };
  map: { from: string; to: string[]; source: RuleSource }[];
  block: { term: string; source: RuleSource }[];
  toTags: { term: string; source: RuleSource }[];
  /** What settings.json holds (the page's editable part). */
  settings: Partial<GenreRules>;
}

export function activeGenreRules(base: GenreRules, own: Partial<GenreRules> | undefined): ActiveGenreRules {
  const merged = mergeGenreRules(base, own);
  const ownMap = new Set(Object.keys(own?.map ?? {}));
  // The merged lists keep the config's terms first and add the page's after them.
  const listed = (terms: string[], fromConfig: number) =>
    terms.map((term, i) => ({ term, source: (i < fromConfig ? 'config' : 'settings') as RuleSource }));
  const sourceOf = (key: 'enabled' | 'max' | 'tidyExisting'): RuleSource =>
    own?.[key] !== undefined ? 'settings' : 'config';
  return {
    enabled: { value: merged.enabled, source: sourceOf('enabled') },
    max: { value: merged.max, source: sourceOf('max') },
    tidyExisting: { value: merged.tidyExisting, source: sourceOf('tidyExisting') },
    map: Object.entries(merged.map).map(([from, to]) => ({
      from,
      to,
      source: ownMap.has(from) ? 'settings' : 'config',
    })),
    block: listed(merged.block, base.block.length),
    toTags: listed(merged.toTags, base.toTags.length),
    settings: own ?? {},
  };
}
