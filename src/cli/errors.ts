import {
  AuthError,
  BridgeError,
  ConfigError,
  InvalidRequestError,
  ProviderError,
  ValidationError,
} from '../errors.js';

/**
 * One line for the person at the terminal: what is wrong and how to fix it. The stack never goes
 * here (main prints it only at `--log-level debug`).
 */
export function explainError(error: unknown, context: { absUrl?: string } = {}): string {
  const err = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (err?.code === 'EADDRINUSE')
    return `${err.port ? `port ${err.port}` : 'the HTTP port'} is already in use (another abs-bridge?) — stop that process, or set http.port in config.json to a free port (0 picks one)`;
  if (err?.code === 'EADDRNOTAVAIL')
    return `cannot listen on ${err.address ?? 'that address'} — set http.host (ABS_BRIDGE_HTTP_HOST) to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`;
  if (error instanceof ConfigError) return error.message;
  if (error instanceof ValidationError) {
    const missing = errnoIn(error, 'ENOENT');
    if (missing)
      return `${error.source}: no such file or folder — check the path (under Docker, the path as the container sees it)`;
    if (errnoIn(error, 'EACCES'))
      return `${error.source}: permission denied — give the user running abs-bridge read access`;
    return error.message;
  }
  // A request the bridge refused as given (a candidate that does not exist): say what to do instead.
  if (error instanceof InvalidRequestError) return `${error.message} — ${HINTS.NOT_IN_REVIEW}`;
  if (error instanceof AuthError && error.provider === 'abs')
    return `ABS refused the API key (HTTP ${error.status ?? 401}) — create one in ABS under Settings → API Keys (or copy a user's API token from Settings → Users) and set ABS_API_KEY or abs.apiKey`;
  if (error instanceof ProviderError && error.provider === 'abs' && error.retryable)
    return `cannot reach ABS${context.absUrl ? ` at ${context.absUrl}` : ''} (${causeCode(error)}) — check ABS_URL / abs.url and that Audiobookshelf is running`;
  if (error instanceof BridgeError) {
    const hint = HINTS[error.code];
    return hint ? `${error.message} — ${hint}` : `${error.message} (${error.code})`;
  }
  return err?.message ?? String(error);
}

/** What to do next, per error code the CLI commands raise. */
const HINTS: Record<string, string> = {
  ABS_ITEM_NOT_FOUND: 'find item ids with `abs-bridge items --library <id> --search <title>`',
  ABS_NOT_FOUND: 'list library ids with `abs-bridge libraries`',
  ITEM_NOT_FOUND: 'the bridge has no record of it yet; match it first with `abs-bridge match <itemId>`',
  NOT_IN_REVIEW: 'see what waits with `abs-bridge review list`',
};

/** The errno code somewhere in an error's cause chain (ENOENT from a stat inside). */
function errnoIn(error: unknown, code: string): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === code) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** ECONNREFUSED, ENOTFOUND… from the message ABS errors carry: `GET /x failed (ECONNREFUSED)`. */
function causeCode(error: ProviderError): string {
  if (error.code === 'TIMEOUT') return 'no answer in time';
  const match = /\(([A-Z_]+)\)/.exec(error.message);
  const code = match?.[1] ?? error.code;
  return (
    { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host name not found', EAI_AGAIN: 'DNS lookup failed' }[
      code
    ] ?? code
  );
}
