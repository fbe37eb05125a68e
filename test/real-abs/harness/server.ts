/**
 * The real Audiobookshelf 2.36 server for the end-to-end suite, started from
 * ../shared/abs-server/start.sh (not part of this repository; see its README). One server per
 * test run, kept between scenarios; each scenario makes its own library in its own folder.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** ../shared beside the checkout, or the workplace's /work/shared when the checkout is elsewhere. */
export const START_SCRIPT =
  process.env.REAL_ABS_START_SCRIPT ??
  [path.resolve(repo, '../shared/abs-server/start.sh'), '/work/shared/abs-server/start.sh'].find((p) =>
    existsSync(p),
  ) ??
  path.resolve(repo, '../shared/abs-server/start.sh');
export const REAL_ABS_DIR = process.env.REAL_ABS_DIR ?? path.join(repo, '.real-abs');
/** Not ABS's default port, so a developer's own server on 13378 is never touched. */
export const REAL_ABS_PORT = Number(process.env.REAL_ABS_PORT ?? 13391);

export interface RealAbs {
  url: string;
  apiKey: string;
  username: string;
  password: string;
  log: string;
  /** The server's folder (its pid file, config and log). */
  dir: string;
}

export function realAbsAvailable(): boolean {
  return existsSync(START_SCRIPT);
}

export interface RealAbsInstance {
  dir: string;
  port: number;
}

const MAIN: RealAbsInstance = { dir: REAL_ABS_DIR, port: REAL_ABS_PORT };

/**
 * A second server of its own for scenarios that kill ABS, so other scenarios' server stays up.
 * It reuses the main instance's unpacked install (no second `npm ci`).
 */
export function separateInstance(name: string, port: number): RealAbsInstance {
  const dir = `${REAL_ABS_DIR}-${name}`;
  const installed = path.join(REAL_ABS_DIR, 'audiobookshelf-2.36.0');
  const target = path.join(dir, 'audiobookshelf-2.36.0');
  if (!existsSync(path.join(target, 'node_modules', '.installed')) && existsSync(installed))
    cpSync(installed, target, { recursive: true });
  return { dir, port };
}

/** Starts the server (or finds it running) and returns its address and credentials. */
export async function ensureRealAbs(instance: RealAbsInstance = MAIN): Promise<RealAbs> {
  const { stdout } = await run('bash', [START_SCRIPT, instance.dir, String(instance.port)], {
    timeout: 600_000,
    maxBuffer: 1 << 20,
  });
  const vars = Object.fromEntries(
    stdout
      .split('\n')
      .map((l) => /^(ABS_\w+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  for (const k of ['ABS_URL', 'ABS_API_KEY'])
    if (!vars[k]) throw new Error(`start.sh printed no ${k}; output was:\n${stdout}`);
  return {
    url: vars.ABS_URL as string,
    apiKey: vars.ABS_API_KEY as string,
    username: vars.ABS_USERNAME as string,
    password: vars.ABS_PASSWORD as string,
    log: vars.ABS_LOG as string,
    dir: instance.dir,
  };
}

export async function absAlive(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** SIGKILLs the server (as an OOM or a crash would) and waits until it no longer answers. */
export async function killRealAbs(abs: RealAbs): Promise<void> {
  const url = abs.url;
  const pid = Number(readFileSync(path.join(abs.dir, 'abs.pid'), 'utf8').trim());
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  for (let i = 0; i < 100 && (await absAlive(url)); i++) await sleep(100);
}

/** Lines of ABS's own log that say it died, for failure messages. */
export function absFatalLines(log: string): string[] {
  try {
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => /FATAL|Unhandled rejection|SequelizeUniqueConstraintError/.test(l))
      .slice(-5);
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`,
  );
}
