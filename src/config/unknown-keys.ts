import { distance } from 'fastest-levenshtein';

/** The parts of a zod 4 schema definition this file reads (zod's own `_zod.def`). */
interface SchemaDef {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  valueType?: ZodLike;
  keyType?: ZodLike;
  entries?: Record<string, string | number>;
  options?: ZodLike[];
  catchall?: ZodLike;
}
/** Any zod schema, seen through its definition. */
export interface ZodLike {
  _zod: { def: unknown };
}

const defOf = (schema: ZodLike): SchemaDef => schema._zod.def as SchemaDef;

/** The schema under wrappers that keep the value's shape (optional, default, prefault, catch, pipe input…). */
function unwrap(schema: ZodLike): ZodLike {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/**
 * The keys accepted where `path` (as zod reports it) leads: an object's keys, or the names a
 * record keyed by an enum takes (`bridge.fieldPolicy`); undefined for anything else.
 */
export function knownKeysAt(schema: ZodLike, path: readonly PropertyKey[]): string[] | undefined {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = defOf(current);
    const next =
      def.type === 'object' && typeof segment === 'string'
        ? def.shape?.[segment]
        : def.type === 'array' && typeof segment === 'number'
          ? def.element
          : def.type === 'record'
            ? def.valueType
            : undefined;
    if (!next) return undefined;
    current = unwrap(next);
  }
  const def = defOf(current);
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  const keyDef = def.type === 'record' && def.keyType ? defOf(unwrap(def.keyType)) : undefined;
  return keyDef?.type === 'enum' && keyDef.entries ? Object.values(keyDef.entries).map(String) : undefined;
}

/** Every object schema inside `schema`, with its path and whether it refuses unknown keys. */
export function* objectSchemas(schema: ZodLike, path = ''): Generator<{ path: string; strict: boolean }> {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'object') {
    yield { path: path || '(root)', strict: def.catchall ? defOf(def.catchall).type === 'never' : false };
    for (const [key, child] of Object.entries(def.shape ?? {})) {
      yield* objectSchemas(child, path ? `${path}.${key}` : key);
    }
  } else if (def.type === 'array' && def.element) {
    yield* objectSchemas(def.element, `${path}[]`);
  } else if (def.type === 'record' && def.valueType) {
    yield* objectSchemas(def.valueType, `${path}.*`);
  } else if (def.type === 'union') {
    for (const option of def.options ?? []) yield* objectSchemas(option, path);
  }
}

/**
 * The known key a misspelt one most likely meant: the nearest by edit distance (case ignored),
 * when it is within a third of the key's length (at least 2) and shorter than the key itself.
 * @example nearestKey('maxAttemps', ['maxAttempts', 'maxDelayMs']) // "maxAttempts"
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestDistance <= limit && bestDistance < key.length ? best : undefined;
}

/** A config path as a person writes it: `providers.custom[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(root)';
}

/** One line per unknown key: its full path, and the key it was probably meant to be (or the valid ones). */
export function describeUnknownKeys(
  schema: ZodLike,
  objectPath: readonly PropertyKey[],
  keys: readonly string[],
): string[] {
  const known = knownKeysAt(schema, objectPath) ?? [];
  return keys.map((key) => {
    const where = formatPath([...objectPath, key]);
    const near = nearestKey(key, known);
    if (near) return `${where}: unknown key; did you mean "${near}"?`;
    return known.length ? `${where}: unknown key (known keys: ${known.join(', ')})` : `${where}: unknown key`;
  });
}

/** One zod issue as lines a person reads: an unknown key with its full path and likely meaning. */
export function describeIssue(
  schema: ZodLike,
  issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] },
): string[] {
  return issue.code === 'unrecognized_keys' && issue.keys
    ? describeUnknownKeys(schema, issue.path, issue.keys)
    : [`${formatPath(issue.path)}: ${issue.message}`];
}
