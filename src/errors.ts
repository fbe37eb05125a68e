/**
 * The error hierarchy. Every error has a stable `code` and keeps its `cause`.
 * "Not found" is never an error: providers return `null` / an unsuccessful result instead.
 */
export class BridgeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Thrown when config.json or the environment does not match the schema. Lists every problem. */
export class ConfigError extends BridgeError {
  readonly issues: string[];
  constructor(issues: string[], options?: { cause?: unknown }) {
    super('CONFIG_INVALID', `Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`, options);
    this.issues = issues;
  }
}

/** Thrown when outside data (a provider body, an ABS payload, a sidecar) does not have the expected shape. */
export class ValidationError extends BridgeError {
  readonly issues: string[];
  readonly source: string;
  constructor(source: string, issues: string[], options?: { cause?: unknown }) {
    super('VALIDATION_FAILED', `${source}: unexpected data (${issues.join('; ')})`, options);
    this.issues = issues;
    this.source = source;
  }
}

/**
 * Thrown by a provider call. `retryable` is true for network errors, timeouts, 5xx and 429;
 * `retryAfterMs` carries a server's Retry-After when it sent one.
 */
export class ProviderError extends BridgeError {
  readonly provider: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    provider: string,
    code: string,
    message: string,
    opts: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, `${provider}: ${message}`, { cause: opts.cause });
    this.provider = provider;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** 401/403 from a provider or ABS: retrying will not help until credentials change. */
export class AuthError extends ProviderError {
  constructor(provider: string, message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(provider, 'AUTH_FAILED', message, { ...opts, retryable: false });
  }
}

/** A provider call did not finish within its timeout. */
export class TimeoutError extends ProviderError {
  constructor(provider: string, timeoutMs: number, opts: { cause?: unknown } = {}) {
    super(provider, 'TIMEOUT', `no answer within ${timeoutMs} ms`, { ...opts, retryable: true });
  }
}

/** Refused without calling the provider because its circuit breaker is open. */
export class CircuitOpenError extends ProviderError {
  constructor(provider: string, opts: { cause?: unknown } = {}) {
    super(provider, 'CIRCUIT_OPEN', 'circuit breaker is open; provider skipped', {
      ...opts,
      retryable: false,
    });
  }
}

/** A file (sidecar, audio, export target) could not be read or written safely. */
export class FileError extends BridgeError {
  readonly path: string;
  constructor(code: string, path: string, message: string, options?: { cause?: unknown }) {
    super(code, `${path}: ${message}`, options);
    this.path = path;
  }
}

/**
 * What a caller sent or asked for cannot be done as given: a malformed field, a candidate that
 * does not exist. The caller can fix it; the HTTP service answers 400.
 */
export class InvalidRequestError extends BridgeError {
  readonly issues: string[];
  constructor(what: string, issues: string[]) {
    super('BAD_REQUEST', `invalid ${what}: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** Something the caller named does not exist (an item, a library, a cover). HTTP 404. */
export class NotFoundError extends BridgeError {}

/** The one "item not in ABS": ABS has no library item with this id (it was never there, or was removed). */
export class ItemNotFoundError extends NotFoundError {
  readonly itemId: string;
  constructor(itemId: string) {
    super('ABS_ITEM_NOT_FOUND', `item ${itemId} does not exist in ABS`);
    this.itemId = itemId;
  }
}

/** The bridge keeps no record of this item: it has never matched it. */
export class UnknownItemError extends NotFoundError {
  readonly itemId: string;
  constructor(itemId: string) {
    super('ITEM_NOT_FOUND', `item ${itemId} is not known to the bridge`);
    this.itemId = itemId;
  }
}

/**
 * The request is well formed but clashes with the item's (or the service's) current state: a
 * backfill already running, an item being processed. Asking again later, or differently, may work. HTTP 409.
 */
export class ConflictError extends BridgeError {}

/** Undo of an item the bridge has not overwritten anything on (or has already undone). */
export class NothingToUndoError extends ConflictError {
  constructor(itemId: string) {
    super(
      'NOTHING_TO_UNDO',
      `nothing to undo for item ${itemId}: the bridge has not overwritten any of its values`,
    );
  }
}

/** Approve of an item that is not waiting for review (already applied, rejected, waiting). */
export class NotInReviewError extends ConflictError {
  constructor(itemId: string, decision: string | undefined) {
    super(
      'NOT_IN_REVIEW',
      `item ${itemId} is not waiting for review${decision ? ` (its decision is ${decision})` : ''}`,
    );
  }
}

/** Returns a short, secret-free description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
