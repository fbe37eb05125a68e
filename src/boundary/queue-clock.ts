import { AsyncLocalStorage } from 'node:async_hooks';

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

const storage = new AsyncLocalStorage<readonly QueueClock[]>();

/** The clocks of the work running now (innermost last). */
export function currentClocks(): readonly QueueClock[] {
  return storage.getStore() ?? [];
}

/** Runs `fn` with `clocks` added to the current ones: queue waits inside it stop them. */
export function withClocks<T>(clocks: readonly QueueClock[], fn: () => T): T {
  if (clocks.length === 0) return fn();
  const outer = currentClocks();
  return storage.run(outer.length ? [...outer, ...clocks] : clocks, fn);
}

/** Runs `fn` with exactly these clocks (a batch sent for several callers, each with its own). */
export function withOnlyClocks<T>(clocks: readonly QueueClock[], fn: () => T): T {
  return storage.run([...new Set(clocks)], fn);
}

/**
 * Marks `wait` as time spent in a rate limiter's queue: every clock of the current work (or the
 * given ones, for a batch that several callers wait on) stops until it settles.
 */
export async function queueWait<T>(wait: () => Promise<T>, clocks = currentClocks()): Promise<T> {
  for (const c of clocks) c.pause();
  try {
    return await wait();
  } finally {
    for (const c of clocks) c.resume();
  }
}
