import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { type Config, ConfigSchema } from './schema.js';
import { describeIssue, formatPath } from './unknown-keys.js';

/** Environment variables that override config keys (secrets belong here, not in files). */
export const ENV_OVERRIDES: Record<string, string[]> = {
  ABS_URL: ['abs', 'url'],
  ABS_API_KEY: ['abs', 'apiKey'],
  ABS_USERNAME: ['abs', 'username'],
  ABS_PASSWORD: ['abs', 'password'],
  ABS_TOKEN: ['abs', 'token'],
  ABS_BRIDGE_HTTP_TOKEN: ['http', 'token'],
  /** `0.0.0.0` inside a container, so the published port reaches the server. */
  ABS_BRIDGE_HTTP_HOST: ['http', 'host'],
  ABS_BRIDGE_DATA_DIR: ['dataDir'],
  ABS_BRIDGE_CACHE_URL: ['cache', 'url'],
  HARDCOVER_TOKEN: ['providers', 'hardcover', 'token'],
  GOOGLE_BOOKS_API_KEY: ['providers', 'googlebooks', 'apiKey'],
};

export interface LoadConfigOptions {
  /** Path given with --config; must exist. Without it `./config.json` is used when present. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Reads, overrides from the environment and validates the config; every problem is listed once,
 * prefixed with the file it is in, or with the variable that set it.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { raw, source } = readRaw(options.path, cwd);
  const fromEnv = applyEnv(raw, env);
  return validate(raw, (path) => fromEnv.get(path) ?? source);
}

/** Validates an already-read config object; `source` prefixes every problem. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  return validate(raw, () => source);
}

/**
 * Every issue as `source: path: message`; an unknown key gets one line of its own with its full
 * path and the key it was probably meant to be.
 */
function validate(raw: unknown, sourceOf: (path: string) => string | undefined): Config {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.flatMap((issue) => {
      const own = describeIssue(ConfigSchema, issue);
      const source = sourceOf(formatPath(issue.path));
      return own.map((line) => (source ? `${source}: ${line}` : line));
    });
    throw new ConfigError([...new Set(lines)]);
  }
  const config = parsed.data;
  if (config.providers.hardcover.token && raw && !hasExplicit(raw, ['providers', 'hardcover', 'enabled'])) {
    // A token is a clear signal the user wants Hardcover.
    config.providers.hardcover.enabled = true;
  }
  return config;
}

/** The file's object and how problems in it are named (the path as given, or `config.json`). */
function readRaw(
  file: string | undefined,
  cwd: string,
): { raw: Record<string, unknown>; source: string | undefined } {
  const target = file ? path.resolve(cwd, file) : path.resolve(cwd, 'config.json');
  if (!existsSync(target)) {
    if (file) throw new ConfigError([`${file}: file not found`]);
    return { raw: {}, source: undefined };
  }
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (cause) {
    throw new ConfigError([`${target}: cannot read (${(cause as Error).message})`], { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError([`${target}: must be a JSON object`]);
    }
    return { raw: value as Record<string, unknown>, source: file ?? 'config.json' };
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError([`${target}: invalid JSON (${(cause as Error).message})`], { cause });
  }
}

/** Sets the overridden keys; returns which variable set each (by config path), to name it in errors. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const applied = new Map<string, string>();
  for (const [name, keyPath] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    applied.set(keyPath.join('.'), `environment ${name}`);
    let node = raw;
    for (const key of keyPath.slice(0, -1)) {
      const next = node[key];
      if (!next || typeof next !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keyPath.at(-1)!] = value;
  }
  return applied;
}

function hasExplicit(raw: unknown, keyPath: string[]): boolean {
  let node = raw;
  for (const key of keyPath) {
    if (!node || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** Resolves the cache URL default: SQLite under the data dir. */
export function cacheUrlOf(config: Config): string {
  return config.cache.url ?? `sqlite://${path.resolve(config.dataDir, 'cache.sqlite')}`;
}
