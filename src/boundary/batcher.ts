import { setMaxListeners } from 'node:events';
import type { LookupContext } from '../domain/lookup.js';
import type { ProviderResult } from '../domain/provider-result.js';
import { ProviderError } from '../errors.js';
import type { AsyncProvider, LookupOptions, MetadataProvider } from '../providers/types.js';
import { carryClocks, clocksOf, type QueueClock } from './queue-clock.js';

/** How the batcher groups lookups. */
export interface BatchOptions {
  /** How long the first waiting lookup waits for company, ms. @default 15 */
  windowMs?: number;
  /** Overrides the provider's `capabilities.maxBatchSize` when smaller. */
  maxBatchSize?: number;
}

interface Waiting {
  ctx: LookupContext;
  signal: AbortSignal;
  /** The caller's queue clocks: the batch's queue wait is each caller's wait. */
  clocks: readonly QueueClock[];
  resolve: (result: ProviderResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps a provider that supports batch lookups: single `lookup` calls arriving within `windowMs`
 * are sent as one `lookupBatch` call of up to `maxBatchSize` contexts. Each caller keeps its own
 * abort: the batch request is aborted only when every caller in it has given up.
 * Providers without batch support are returned unchanged.
 */
export function withBatching(provider: MetadataProvider, options: BatchOptions = {}): MetadataProvider {
  if (provider.mode !== 'async' || !provider.capabilities.supportsBatch || !provider.lookupBatch)
    return provider;
  const inner = provider;
  const lookupBatch = provider.lookupBatch.bind(provider);
  const windowMs = options.windowMs ?? 15;
  const maxSize = Math.max(1, Math.min(options.maxBatchSize ?? Infinity, provider.capabilities.maxBatchSize));
  let pending: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending.filter((w) => !w.signal.aborted);
    pending = [];
    if (batch.length) void send(inner.id, batch, lookupBatch);
  };

  const lookup = (ctx: LookupContext, opts: LookupOptions): Promise<ProviderResult> =>
    new Promise<ProviderResult>((resolve, reject) => {
      if (opts.signal.aborted) return reject(opts.signal.reason);
      const waiting: Waiting = { ctx, signal: opts.signal, clocks: clocksOf(opts.signal), resolve, reject };
      opts.signal.addEventListener('abort', () => reject(opts.signal.reason), { once: true });
      pending.push(waiting);
      if (pending.length >= maxSize) flush();
      else timer ??= setTimeout(flush, windowMs);
    });

  const wrapped: AsyncProvider = { ...inner, lookup };
  return wrapped;
}

async function send(
  providerId: string,
  batch: Waiting[],
  lookupBatch: (ctxs: LookupContext[], options: LookupOptions) => Promise<ProviderResult[]>,
): Promise<void> {
  const controller = new AbortController();
  // The batch's calls queue for every caller: each caller's clocks stop meanwhile.
  carryClocks(
    controller.signal,
    batch.flatMap((w) => w.clocks),
  );
  // Every lookup of the batch listens on this one signal (a batch searching 20 titles is 20
  // requests, each with its timeout and abort wiring): not a leak, so no warning.
  setMaxListeners(Math.max(10, batch.length * 8), controller.signal);
  let live = batch.length;
  for (const w of batch) {
    w.signal.addEventListener(
      'abort',
      () => {
        if (--live === 0) controller.abort(w.signal.reason);
      },
      { once: true },
    );
  }
  try {
    const results = await lookupBatch(
      batch.map((w) => w.ctx),
      { signal: controller.signal },
    );
    if (results.length !== batch.length) {
      throw new ProviderError(
        providerId,
        'MALFORMED_RESPONSE',
        `batch of ${batch.length} answered with ${results.length} results`,
        { retryable: false },
      );
    }
    for (const [i, w] of batch.entries()) w.resolve(results[i] as ProviderResult);
  } catch (error) {
    for (const w of batch) w.reject(error);
  }
}
