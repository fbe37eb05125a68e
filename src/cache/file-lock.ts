import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BridgeError } from '../errors.js';

/** Who holds a lock file: written into it, read by the next process that wants the file. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** Another live process holds the lock of a cache file: two writers would lose each other's entries. */
export class FileInUseError extends BridgeError {
  readonly holder: LockHolder;
  constructor(file: string, lockFile: string, holder: LockHolder) {
    const who =
      holder.host === os.hostname()
        ? `process ${holder.pid}`
        : `process ${holder.pid} on host ${holder.host}`;
    super(
      'CACHE_FILE_IN_USE',
      `the cache file ${file} is in use by ${who} since ${holder.since} (lock ${lockFile}). ` +
        'One process at a time can use a file:// cache: stop the other bridge or command, or use ' +
        'sqlite:// or redis:// to share a cache. If no such process runs any more, delete the lock file.',
    );
    this.holder = holder;
  }
}

/** Locks this process holds, removed at exit (an exit handler is synchronous, as unlinkSync is). */
const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes `<file>.lock` for this process, or throws FileInUseError naming the live holder. A lock
 * whose process is gone (same host, no such pid, or our own pid left over by a previous run in a
 * container) is stale and taken over. The lock is created complete in one step (written to a temp
 * file, then hard-linked into place), so a reader never sees a half-written one.
 * Other errors (read-only folder, no permission) are thrown as they are.
 */
export function acquireFileLock(file: string): string {
  const lockFile = `${file}.lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  const temp = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(temp, lockFile);
        held.add(lockFile);
        installExitHook();
        return lockFile;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(lockFile);
        if (holder && isAlive(holder)) throw new FileInUseError(file, lockFile, holder);
        // Stale: its process is gone. Removed and tried once more (another process may win that race).
        unlinkQuietly(lockFile);
      }
    }
    const holder = readHolder(lockFile);
    throw new FileInUseError(file, lockFile, holder ?? { pid: 0, host: 'unknown', since: 'just now' });
  } finally {
    unlinkQuietly(temp);
  }
}

/** Removes a lock this process took (and only if it still names this process). */
export function releaseFileLock(lockFile: string): void {
  if (!held.delete(lockFile)) return;
  const holder = readHolder(lockFile);
  if (holder?.pid === process.pid && holder.host === os.hostname()) unlinkQuietly(lockFile);
}

function readHolder(lockFile: string): LockHolder | undefined {
  try {
    const data = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockHolder>;
    if (typeof data.pid !== 'number' || typeof data.host !== 'string') return undefined;
    return { pid: data.pid, host: data.host, since: String(data.since ?? 'an unknown time') };
  } catch {
    return undefined;
  }
}

/** A holder on another host cannot be checked and counts as alive; the message says how to clear it. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {}
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only 'exit': signals stay the application's (the bridge drains on SIGINT/SIGTERM and closes
  // its stores). A SIGKILL leaves the lock behind; the next start finds its process gone.
  process.on('exit', () => {
    for (const lockFile of [...held]) releaseFileLock(lockFile);
  });
}
