import {
  AuthError,
  BridgeError,
  CircuitOpenError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  TimeoutError,
  ValidationError,
} from '../errors.js';

/** The request carries no token, a wrong one, or the service has none configured. */
export class UnauthorizedError extends BridgeError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

/** A state-changing request a browser marked as coming from another site. */
export class CrossSiteError extends BridgeError {
  constructor() {
    super('CROSS_SITE', 'cross-site requests are refused');
  }
}

/** A POST whose body is not `application/json` (which a plain HTML form cannot send). */
export class UnsupportedMediaTypeError extends BridgeError {
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
}

export interface ErrorBody {
  error: string;
  message: string;
}

/**
 * Status by error class, first match wins (a subclass before its parent). Every error listed
 * carries a message written to be shown (it names what was wrong and never holds a secret).
 * - the caller's own mistakes are 4xx;
 * - ABS or a provider failing the bridge is 502 (it answered wrongly: refused the bridge's key,
 *   sent a body of the wrong shape, an error status) or 503/504 (down, breaker open, no answer).
 *   An upstream 401/403 is the bridge's credentials, not the caller's, so it is never a 401 here.
 */
const STATUS_BY_CLASS: [new (...args: never[]) => Error, number][] = [
  [InvalidRequestError, 400],
  [UnauthorizedError, 401],
  [CrossSiteError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [UnsupportedMediaTypeError, 415],
  [AuthError, 502],
  [ValidationError, 502],
  [CircuitOpenError, 503],
  [TimeoutError, 504],
];

/** An upstream failure the table does not name: retryable ones (down, 5xx, 429) are 503. */
function upstreamStatus(error: ProviderError): number {
  return error.retryable ? 503 : 502;
}

/**
 * Maps an error thrown by a route (or by the bridge behind it) to a status and body. Anything
 * not in the table is a 500 whose details stay in the log, never in the response.
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  const known = STATUS_BY_CLASS.find(([type]) => error instanceof type);
  if (known && error instanceof BridgeError) return { status: known[1], body: body(error) };
  if (error instanceof ProviderError) return { status: upstreamStatus(error), body: body(error) };
  // fastify's own request errors (body too large, malformed JSON, wrong content type).
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code = String((error as { code?: unknown }).code ?? 'BAD_REQUEST');
    return { status: fastifyStatus, body: { error: code, message: (error as Error).message } };
  }
  return { status: 500, body: { error: 'INTERNAL', message: 'internal error; see the bridge log' } };
}

function body(error: BridgeError): ErrorBody {
  return { error: error.code, message: error.message };
}
