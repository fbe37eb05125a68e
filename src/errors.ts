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

/** Returns a short, secret-free description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
