import { describeError, ProviderError, TimeoutError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { LookupContext, MetadataProvider, ProviderResult } from '../providers/types.js';
import { emptyResult } from '../providers/types.js';

/** Abort reason for work a finished lookup left behind; one instance, as a stack trace per call was a hot spot. */
const LOOKUP_FINISHED = new Error('lookup finished');

export interface RunOutcome {
  result: ProviderResult;
  durationMs: number;
  timedOut: boolean;
}

/**
 * Calls one provider (sync or async) with a timeout and an abort signal, and turns every failure
 * into an unsuccessful result: one provider can never fail the item.
 * With `strict`, errors are rethrown instead (tests and the CLI's --strict).
 */
export async function runProvider(
  provider: MetadataProvider,
  ctx: LookupContext,
  opts: {
    timeoutMs: number;
    events: EventBus;
    parentSignal?: AbortSignal;
    refresh?: boolean;
    strict?: boolean;
  },
): Promise<RunOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(opts.parentSignal?.reason);
  opts.parentSignal?.addEventListener('abort', onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(provider.id, opts.timeoutMs);
      controller.abort(error);
      reject(error);
    }, opts.timeoutMs);
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
    clearTimeout(timer);
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
