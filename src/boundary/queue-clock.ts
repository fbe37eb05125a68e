/**
 * A clock that stops while the work it measures waits in a rate limiter's queue. A provider's
 * timeout measures its HTTP attempts, not the time its calls spent queued behind the provider's
 * rate limit (with Audible's 60/min a backfill queues; counting that as the provider being slow
 * turned a backfill into spurious timeouts). Overlapping waits (parallel calls of one lookup)
 * count once: the clock is stopped while at least one of its calls is queued.
 */
export class QueueClock {
  #depth = 0;
  #pausedAt = 0;
  #waitedMs = 0;
  readonly #listeners = new Set<(paused: boolean) => void>();

  /** Time spent queued so far, ms (the running wait included). */
  get waitedMs(): number {
    return this.#waitedMs + (this.#depth > 0 ? performance.now() - this.#pausedAt : 0);
  }

  get paused(): boolean {
    return this.#depth > 0;
  }

  /** Called with true when the clock stops and false when it runs again; returns the unsubscribe. */
  onChange(listener: (paused: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  pause(): void {
    if (this.#depth++ > 0) return;
    this.#pausedAt = performance.now();
    for (const l of this.#listeners) l(true);
  }

  resume(): void {
    if (this.#depth === 0 || --this.#depth > 0) return;
    this.#waitedMs += performance.now() - this.#pausedAt;
    for (const l of this.#listeners) l(false);
  }
}

/**
 * Which clocks a signal's work runs under. The clocks travel with the abort signal every provider
 * call already carries (one per lookup, made in aggregate/run-provider.ts, or per batch in
 * batcher.ts) rather than in an AsyncLocalStorage: on Node 20 that turns on promise hooks for the
 * whole process, ~8 % of the bridge's CPU in a cold backfill (docs/boundary.md).
 */
const clocksBySignal = new WeakMap<AbortSignal, readonly QueueClock[]>();

/** The clocks work given `signal` runs under (none for a signal made elsewhere). */
export function clocksOf(signal: AbortSignal | undefined): readonly QueueClock[] {
  return (signal && clocksBySignal.get(signal)) || [];
}

/** Makes calls given `signal` stop `clocks` while they wait in a rate limiter's queue. */
export function carryClocks(signal: AbortSignal, clocks: readonly QueueClock[]): AbortSignal {
  if (clocks.length > 0) clocksBySignal.set(signal, [...new Set(clocks)]);
  return signal;
}

/** Marks `wait` as time spent in a rate limiter's queue: `clocks` stop until it settles. */
export async function queueWait<T>(wait: () => Promise<T>, clocks: readonly QueueClock[]): Promise<T> {
  for (const c of clocks) c.pause();
  try {
    return await wait();
  } finally {
    for (const c of clocks) c.resume();
  }
}
