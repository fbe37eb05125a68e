import { BridgeError, ValidationError } from '../errors.js';

/** An error that already knows its HTTP status; its message is safe to show the caller. */
export class HttpError extends BridgeError {
  readonly status: number;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

export interface ErrorBody {
  error: string;
  message: string;
}

/**
 * Maps an error thrown by a route (or by the bridge behind it) to a status and body.
 * Bridge errors carry a stable code the status is derived from; anything else is a 500 whose
 * details stay in the log, never in the response.
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) return { status: error.status, body: body(error) };
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code = String((error as { code?: unknown }).code ?? 'BAD_REQUEST');
    return { status: fastifyStatus, body: { error: code, message: (error as Error).message } };
  }
  if (error instanceof ValidationError) return { status: 400, body: body(error) };
  if (error instanceof BridgeError) {
    const code = error.code.toUpperCase();
    if (code.includes('NOT_FOUND')) return { status: 404, body: body(error) };
    if (/CONFLICT|NOT_IN_REVIEW|NOTHING_TO_UNDO|BUSY/.test(code)) return { status: 409, body: body(error) };
    if (code === 'AUTH_FAILED') return { status: 502, body: body(error) };
  }
  return { status: 500, body: { error: 'INTERNAL', message: 'internal error; see the bridge log' } };
}

function body(error: BridgeError): ErrorBody {
  return { error: error.code, message: error.message };
}
