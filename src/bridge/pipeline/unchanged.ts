import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { snapshotKey } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { AbsItem, AbsMedia } from '../ports.js';
import type { BridgeItemRecord, UnchangedMark } from '../state/state-store.js';

export type { UnchangedMark };

/**
 * "Nothing changed since the last run": the pipeline's inputs for one item, reduced to one digest
 * and stored in the item's record with the time the provider answers that run used expire. When
 * the next run finds the same digest before that time, it would aggregate the same answers, reach
 * the same decision and plan no change, so it skips all of that and records nothing.
 *
 * The digest covers everything the result depends on:
 *  - the item as ABS holds it: the values the bridge compares (snapshotKey), chapters, whether it
 *    has a cover, its audio files (inode, size, mtime, duration) — and, when the folder cannot be
 *    reached, ABS's list of the item's files;
 *  - the item folder: every top-level entry's name, size and mtime (sidecars, a Libation export,
 *    new files), as read from disk;
 *  - the config that shapes a result (providers, matching, merge, genres, bridge policy, caches,
 *    the item's library policy), not logging, ports or credentials for ABS;
 *  - what the record holds that a run reads: the decision, what the bridge pushed and overwrote
 *    (a person's edit is told from those), `skip` and locked fields.
 * A digest that differs only makes the next run take the full pipeline: every part errs on the
 * side of "changed". Bump DIGEST_VERSION when the pipeline's behaviour for the same inputs changes.
 */
const DIGEST_VERSION = '1';

const readdirCallback = promisify(readdir);
const statCallback = promisify(stat);

/** Local-only runs (no network provider asked) depend on files alone: they never expire. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * When the answers `result` was built from stop being reusable: the earliest cache expiry among
 * the network providers asked. Undefined when any of them answered without a cached copy (an
 * error, a timeout, a provider whose lookups are not cached): the next run must ask again.
 */
export function reusableUntil(result: AggregatedResult): number | undefined {
  let until = NEVER;
  for (const o of result.providers) {
    if (o.kind !== 'network' || o.status === 'skipped') continue;
    if (o.status === 'error' || o.status === 'timeout' || o.expiresAt === undefined) return undefined;
    until = Math.min(until, o.expiresAt);
  }
  return until;
}

const configKeys = new WeakMap<Config, Map<string, string>>();

/** Credentials shape no result: a new key must not redo every book, and no hash of one is stored. */
const SECRET_KEYS = new Set(['apiKey', 'token', 'password', 'authHeader']);
const withoutSecrets = (key: string, value: unknown) => (SECRET_KEYS.has(key) ? undefined : value);

/** The parts of the config that shape an item's result, as a digest (memoised per config). */
export function configDigest(config: Config, libraryId: string): string {
  let byLibrary = configKeys.get(config);
  if (!byLibrary) {
    byLibrary = new Map();
    configKeys.set(config, byLibrary);
  }
  let key = byLibrary.get(libraryId);
  if (key === undefined) {
    const shaping = {
      cache: { ...config.cache, url: undefined },
      providers: config.providers,
      matching: config.matching,
      merge: config.merge,
      genres: config.genres,
      bridge: config.bridge,
      pathMappings: config.pathMappings,
      library: config.libraries[libraryId] ?? null,
    };
    key = digest(JSON.stringify(shaping, withoutSecrets));
    byLibrary.set(libraryId, key);
  }
  return key;
}

/** What the item looks like to the pipeline: ABS's media (as it stands, or after this run's writes). */
export function absPrint(item: AbsItem, media: AbsMedia, hasCover = Boolean(media.coverPath)): string {
  const audio = (media.audioFiles ?? []).map((f) => {
    const m = f.metadata as { relPath?: string; filename: string; size?: number; mtimeMs?: unknown };
    return [
      f.ino ?? null,
      m.relPath ?? m.filename,
      m.size ?? null,
      m.mtimeMs ?? null,
      f.duration ?? null,
      f.exclude ?? false,
    ];
  });
  return JSON.stringify([
    item.libraryId,
    item.path,
    snapshotKey(media),
    (media.chapters ?? []).map((c) => [c.start, c.end, c.title]),
    hasCover,
    media.duration ?? null,
    audio,
  ]);
}

/**
 * The item's files: the folder's top-level entries from disk (name, size, mtime) when it is
 * reachable, else ABS's list of the item's files (the bridge writes no sidecar there then).
 */
export async function filesPrint(item: AbsItem, folder: string | null): Promise<string> {
  if (!folder) {
    const files = (item.libraryFiles ?? []).map((f) => {
      const m = f.metadata as { relPath?: string; filename: string; size?: number; mtimeMs?: unknown };
      return [f.ino ?? null, m.relPath ?? m.filename, m.size ?? null, m.mtimeMs ?? null];
    });
    return JSON.stringify(['abs', files]);
  }
  let names: string[];
  try {
    names = (await readdirCallback(folder)).sort();
  } catch {
    return JSON.stringify(['unreadable']);
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const s = await statCallback(path.join(folder, name));
        return s.isDirectory() ? [name, 'dir', s.mtimeMs] : [name, s.size, s.mtimeMs];
      } catch {
        return [name, 'gone'];
      }
    }),
  );
  return JSON.stringify(['disk', entries]);
}

/** What a run reads from the item's record besides the item itself. */
function recordPrint(record: BridgeItemRecord | null): string {
  if (!record) return 'none';
  return JSON.stringify([
    record.decision,
    record.pushed ?? null,
    record.overwritten ?? null,
    record.skip ?? false,
    record.lockedFields ?? null,
  ]);
}

/** The digest of one run's inputs. */
export function unchangedKey(parts: {
  config: string;
  abs: string;
  files: string;
  record: BridgeItemRecord | null;
}): string {
  return digest(
    [DIGEST_VERSION, parts.config, parts.abs, parts.files, recordPrint(parts.record)].join('\u0001'),
  );
}

/** True when the record's mark still stands for `key` at `now`. */
export function stillUnchanged(record: BridgeItemRecord | null, key: string, now: number): boolean {
  const mark = record?.unchanged;
  return mark !== undefined && record?.decision !== 'wait' && now < mark.until && mark.key === key;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}
