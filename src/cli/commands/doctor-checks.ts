import { existsSync } from 'node:fs';
import { createPathMapper } from '../../abs/paths.js';
import type { AbsSocketListener } from '../../abs/socket.js';
import type { AbsClient } from '../../abs/types.js';
import { connectAbs } from '../../app/service.js';
import type { Config } from '../../config/schema.js';
import { AuthError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import { audibleRoot } from '../../providers/network/audible/api.js';

/** One doctor line: ok, a warning (does not fail), or a failure with how to fix it. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
  fix,
});
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** ABS reachable, API key accepted, and the first item's folder visible through pathMappings. */
export async function checkAbs(config: Config, abs: AbsClient): Promise<CheckResult[]> {
  if (!(await abs.ping())) {
    return [fail('ABS reachable', `no answer from ${abs.baseUrl}/ping`, 'check abs.url (and abs.basePath)')];
  }
  const out = [ok('ABS reachable', abs.baseUrl)];
  try {
    const libraries = await abs.listLibraries();
    out.push(ok('ABS API key', `${libraries.length} book librar${libraries.length === 1 ? 'y' : 'ies'}`));
    out.push(await checkPathMapping(config, abs, libraries[0]?.id));
  } catch (error) {
    const refused = error instanceof AuthError;
    out.push(
      fail(
        'ABS API key',
        refused ? 'refused (401)' : msg(error),
        refused
          ? 'create an ACTIVE key in ABS (Settings → API Keys; isActive defaults to false) and set ABS_API_KEY'
          : 'see the error; is this an Audiobookshelf server?',
      ),
    );
  }
  return out;
}

async function checkPathMapping(config: Config, abs: AbsClient, libraryId?: string): Promise<CheckResult> {
  const name = 'path mapping';
  if (!libraryId) return { name, status: 'warn', detail: 'no book library to check against' };
  const page = await abs.listLibraryItems(libraryId, { limit: 1 });
  const item = page.results[0];
  if (!item) return { name, status: 'warn', detail: 'library is empty; nothing to check' };
  const local = createPathMapper(config.pathMappings).toLocal(item.path);
  if (local === null) {
    return fail(
      name,
      `no pathMappings entry covers ${item.path}`,
      'add a pathMappings entry whose "abs" prefix matches',
    );
  }
  if (existsSync(local)) return ok(name, `${item.path} → ${local}`);
  return fail(
    name,
    `ABS folder ${item.path} is not visible here (looked at ${local})`,
    'mount the audiobooks volume and add pathMappings [{"abs": "<ABS path prefix>", "local": "<this machine\'s path>"}]',
  );
}

/** Socket auth: waits for `init` (authenticated) or `auth_failed`. */
export async function checkSocket(
  socket: AbsSocketListener | undefined,
  timeoutMs: number,
): Promise<CheckResult> {
  const name = 'ABS socket auth';
  if (!socket) {
    return {
      name,
      status: 'warn',
      detail:
        'no abs.username/password or abs.token: polling mode (new books are seen on the catch-up interval)',
      fix: 'set ABS_USERNAME and ABS_PASSWORD for instant reaction to new books',
    };
  }
  const outcome = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    socket.on('ready', () => {
      clearTimeout(timer);
      resolve('ready');
    });
    socket.on('state', (state, detail) => {
      if (state !== 'auth_failed') return;
      clearTimeout(timer);
      resolve(`auth_failed${detail ? `: ${detail}` : ''}`);
    });
    socket.start();
  });
  socket.stop();
  if (outcome === 'ready') return ok(name, 'authenticated (init received)');
  return fail(
    name,
    outcome === 'timeout' ? `no init within ${timeoutMs} ms` : outcome,
    'check abs.username/abs.password (API keys do not work on the socket) and abs.basePath',
  );
}

/** Each enabled network provider answers HTTP at its base URL (any status counts as reachable). */
export async function checkProviders(config: Config, timeoutMs: number): Promise<CheckResult[]> {
  const p = config.providers;
  const targets: [string, string | undefined][] = [
    ['audible', p.audible.enabled ? audibleRoot(p.audible.baseUrl, p.audible.region) : undefined],
    ['audnexus', p.audnexus.enabled ? p.audnexus.baseUrl : undefined],
    ['hardcover', p.hardcover.enabled ? p.hardcover.baseUrl : undefined],
    ['openlibrary', p.openlibrary.enabled ? p.openlibrary.baseUrl : undefined],
    ['googlebooks', p.googlebooks.enabled ? p.googlebooks.baseUrl : undefined],
    ['itunes', p.itunes.enabled ? p.itunes.baseUrl : undefined],
    ...p.custom.filter((c) => c.enabled).map((c) => [`custom:${c.name}`, c.url] as [string, string]),
  ];
  const enabled = targets.filter((t): t is [string, string] => Boolean(t[1]));
  return Promise.all(
    enabled.map(async ([id, url]) => {
      const name = `provider ${id}`;
      try {
        const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        return ok(name, `${new URL(url).host} answered ${res.status}`);
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        return fail(
          name,
          `${new URL(url).host}: ${msg(cause ?? error)}`,
          `check network/DNS/proxy, or disable it with providers.${id.startsWith('custom:') ? 'custom[].enabled' : `${id}.enabled`}: false`,
        );
      }
    }),
  );
}

/** Builds the ABS client and socket from config and runs the ABS checks. */
export async function checkAbsAll(config: Config, logger: Logger, timeoutMs: number): Promise<CheckResult[]> {
  let connection: ReturnType<typeof connectAbs>;
  try {
    connection = connectAbs(config, logger);
  } catch (error) {
    return [fail('ABS config', msg(error), 'set abs.url and abs.apiKey (ABS_URL, ABS_API_KEY)')];
  }
  const rest = await checkAbs(config, connection.abs);
  if (rest[0]?.status === 'fail') return rest;
  return [...rest, await checkSocket(connection.socket, timeoutMs)];
}
