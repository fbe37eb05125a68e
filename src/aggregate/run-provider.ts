import { carryClocks, QueueClock } from '../boundary/queue-clock.js';
import type { LookupContext } from '../domain/lookup.js';
import { emptyResult, type ProviderResult } from '../domain/provider-result.js';
import { describeError, ProviderError, TimeoutError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { MetadataProvider } from '../providers/types.js';

/** Abort reason for work a finished lookup left behind; one instance, as a stack trace per call was a hot spot. */
const LOOKUP_FINISHED = new Error('lookup finished');

export interface RunOutcome {
  result: ProviderResult;
  durationMs: number;
  timedOut: boolean;
}

/** Time a lookup may spend queued for rate-limit slots on top of its timeout. @default 30000 */
export const DEFAULT_QUEUE_ALLOWANCE_MS = 30_000;

/**
 * Calls one provider (sync or async) with a timeout and an abort signal, and turns every failure
 * into an unsuccessful result: one provider can never fail the item.
 * The timeout measures the provider at work: its clock stops while the lookup's calls wait in the
 * rate limiter's queue (boundary/queue-clock.ts). An overall deadline of timeout + queue allowance
 * still bounds the whole lookup.
 * With `strict`, errors are rethrown instead (tests and the CLI's --strict).
 */
export async function runProvider(
  provider: MetadataProvider,
  ctx: LookupContext,
  opts: {
    timeoutMs: number;
    events: EventBus;
    parentSignal?: AbortSignal;
    /** The item's clocks (boundary/concurrency.ts): they stop too while this lookup queues. */
    clocks?: readonly QueueClock[];
    refresh?: boolean;
    strict?: boolean;
    /** Extra time for waits in rate-limit queues, beyond `timeoutMs`. @default 30000 */
    queueAllowanceMs?: number;
  },
): Promise<RunOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(opts.parentSignal?.reason);
  opts.parentSignal?.addEventListener('abort', onParentAbort, { once: true });
  const clock = new QueueClock();
  carryClocks(controller.signal, [...(opts.clocks ?? []), clock]);
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let stopClock: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const fire = (ms: number) => {
      const error = new TimeoutError(provider.id, ms);
      controller.abort(error);
      reject(error);
    };
    // Working time: runs while no call of the lookup is queued.
    let remaining = opts.timeoutMs;
    let armedAt = performance.now();
    const arm = () => {
      armedAt = performance.now();
      timer = setTimeout(() => fire(opts.timeoutMs), Math.max(0, remaining));
    };
    arm();
    stopClock = clock.onChange((paused) => {
      if (paused) {
        clearTimeout(timer);
        remaining -= performance.now() - armedAt;
      } else arm();
    });
    const overall = opts.timeoutMs + (opts.queueAllowanceMs ?? DEFAULT_QUEUE_ALLOWANCE_MS);
    deadline = setTimeout(() => fire(overall), overall);
  });
  await opts.events.emit('provider.fetch.start', { provider: provider.id, ...itemIdOf(ctx) });
  try {
    const call =
      provider.mode === 'async'
        ? provider.lookup(ctx, { signal: controller.signal, ...(opts.refresh ? { refresh: true } : {}) })
        : Promise.resolve().then(() => provider.lookupSync(ctx));
    const result = await Promise.race([call, timeout]);
    const durationMs = performance.now() - started;
    if (result.error) {
      await opts.events.emit('provider.fetch.error', {
        provider: provider.id,
        durationMs,
        error: result.error,
        ...itemIdOf(ctx),
      });
    } else {
      await opts.events.emit('provider.fetch.success', {
        provider: provider.id,
        durationMs,
        cached: result.cached,
        found: result.success,
        ...itemIdOf(ctx),
      });
    }
    return { result: { ...result, provider: provider.id }, durationMs, timedOut: false };
  } catch (error) {
    if (opts.strict) throw error;
    const durationMs = performance.now() - started;
    const info = errorInfo(error);
    await opts.events.emit('provider.fetch.error', {
      provider: provider.id,
      durationMs,
      error: info,
      ...itemIdOf(ctx),
    });
    return { result: emptyResult(provider.id, info), durationMs, timedOut: error instanceof TimeoutError };
  } finally {
    stopClock?.();
    clearTimeout(timer);
    clearTimeout(deadline);
    opts.parentSignal?.removeEventListener('abort', onParentAbort);
    if (!controller.signal.aborted) controller.abort(LOOKUP_FINISHED);
  }
}

/** A secret-free summary of a provider failure for outcomes and events. */
function errorInfo(error: unknown): { code: string; message: string; retryable: boolean } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'PROVIDER_FAILED',
    message: describeError(error),
    retryable: error instanceof ProviderError ? error.retryable : false,
  };
}

function itemIdOf(ctx: LookupContext): { itemId?: string } {
  return ctx.itemId ? { itemId: ctx.itemId } : {};
}
