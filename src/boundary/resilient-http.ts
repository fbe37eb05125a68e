import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
} from 'cockatiel';
import { CircuitOpenError, ProviderError, TimeoutError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import type { RateLimit } from '../providers/network/options.js';
import type { ProviderHttp, ProviderHttpRequest, ProviderHttpResponse } from '../providers/types.js';
import type { BoundaryPolicy } from './options.js';
import { clocksOf, queueWait } from './queue-clock.js';
import type { RateLimiter } from './rate-limiter.js';

/** Circuit state as `doctor` and `/readyz` show it. */
export type CircuitStatus = 'closed' | 'open' | 'half_open';

/** ProviderHttp plus a view of the provider's circuit. */
export interface ResilientHttp extends ProviderHttp {
  readonly circuit: CircuitStatus;
}

export interface ResilientHttpOptions {
  providerId: string;
  /** One attempt with the status mapping (createPlainHttp). */
  plain: ProviderHttp;
  limiter: RateLimiter;
  rateLimit: RateLimit;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  boundary: BoundaryPolicy;
  events: EventBus;
  logger?: Logger;
}

/** Errors worth another attempt: retryable provider errors, unless the server asked for a long pause. */
export function isRetryable(error: unknown, maxRetryAfterMs: number): boolean {
  if (!(error instanceof ProviderError) || !error.retryable) return false;
  if (error.code === 'RATE_LIMIT_QUEUE_FULL') return false;
  return !(error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs);
}

/** Errors that say the provider is unwell (5xx, network, timeout). 429 and 4xx are not. */
export function isOutage(error: unknown): boolean {
  return (
    error instanceof ProviderError &&
    error.retryable &&
    error.code !== 'RATE_LIMITED' &&
    error.code !== 'RATE_LIMIT_QUEUE_FULL'
  );
}

const STATUS: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The provider boundary around one provider's HTTP: retry (exponential backoff, decorrelated
 * jitter, retryable errors only) → circuit breaker (consecutive outages) → rate-limit slot →
 * one attempt with a timeout. A 429 blocks the provider's bucket for its Retry-After, so the
 * next attempt (this caller's or anyone's, across instances when Redis is shared) waits.
 */
export function createResilientHttp(opts: ResilientHttpOptions): ResilientHttp {
  const { providerId, events, boundary } = opts;
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: boundary.breaker.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(boundary.breaker.failureThreshold),
  });
  breaker.onBreak(() => void events.emit('provider.circuit.open', { provider: providerId }));
  breaker.onHalfOpen(() => void events.emit('provider.circuit.half_open', { provider: providerId }));
  breaker.onReset(() => void events.emit('provider.circuit.close', { provider: providerId }));
  const retryPolicy = retry(
    handleWhen((e) => isRetryable(e, boundary.maxRetryAfterMs)),
    {
      maxAttempts: boundary.retry.maxAttempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: boundary.retry.initialDelayMs,
        maxDelay: boundary.retry.maxDelayMs,
      }),
    },
  );
  retryPolicy.onRetry((reason) =>
    opts.logger?.debug(
      { provider: providerId, err: 'error' in reason ? reason.error : undefined },
      'retrying',
    ),
  );

  const attempt = async (req: ProviderHttpRequest, signal: AbortSignal) => {
    // Time queued for a slot is not the provider being slow: the callers' timeouts stop meanwhile.
    await queueWait(() => opts.limiter.acquire(providerId, opts.rateLimit, signal), clocksOf(req.signal));
    try {
      return await withTimeout(opts, req, signal);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'RATE_LIMITED') {
        const retryAfterMs = error.retryAfterMs ?? boundary.retry.initialDelayMs * 4;
        await opts.limiter.block(providerId, opts.rateLimit, retryAfterMs);
        await events.emit('provider.rate_limited', { provider: providerId, retryAfterMs });
      }
      throw error;
    }
  };

  return {
    get circuit() {
      return STATUS[breaker.state];
    },
    async request<T>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
      try {
        const execution = retryPolicy.execute(
          ({ signal }) => breaker.execute(() => attempt(req, signal)),
          req.signal,
        );
        return (await abortable(execution, req.signal)) as ProviderHttpResponse<T>;
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new CircuitOpenError(providerId, { cause: error });
        throw error;
      }
    },
  };
}

/** One attempt, aborted after `timeoutMs` (a TimeoutError, retryable) or when the caller gives up. */
async function withTimeout(
  opts: ResilientHttpOptions,
  req: ProviderHttpRequest,
  signal: AbortSignal,
): Promise<ProviderHttpResponse> {
  const timer = AbortSignal.timeout(opts.timeoutMs);
  const combined = AbortSignal.any([signal, timer]);
  try {
    return await opts.plain.request({ ...req, signal: combined });
  } catch (error) {
    if (timer.aborted && !signal.aborted)
      throw new TimeoutError(opts.providerId, opts.timeoutMs, { cause: error });
    throw error;
  }
}

/**
 * cockatiel's backoff sleep does not listen to the signal, so a caller that gives up is released
 * here at once; the policy notices the abort after its sleep and makes no further attempt.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
