import { QueueClock } from './queue-clock.js';

/** What the controller needs from the boundary. */
export interface ConcurrencySource {
  /** Rate-limit slots taken so far per provider (HTTP attempts, retries included). */
  slotsTaken(): Readonly<Record<string, number>>;
  /** A provider's limit, requests per second. */
  perSecond(providerId: string): number;
  /** The network providers in use (their limits set the first estimate). */
  providers(): readonly string[];
}

export interface AdaptiveConcurrencyOptions {
  /** @default 2 */
  min?: number;
  /**
   * Items a backfill keeps in flight when no provider limit binds. 64: with writes batched
   * (bridge/pipeline/item-writes.ts) an item also waits for its batch, and 32 items capped a cold
   * run against ABS 2.36 at ~52 books/s where 64 reached ~58 (README, "What moved it").
   * @default 64
   */
  max?: number;
  /** Work per item assumed before one was observed, ms. @default 1000 */
  initialWorkMs?: number;
  /** Share of the bound aimed at above 1, so the binding provider never idles. @default 1.25 */
  headroom?: number;
  /** Weight of the newest item in the moving averages. @default 0.1 */
  alpha?: number;
}

/**
 * Items processed at once, sized from the providers' rate limits and the observed work, when
 * `bridge.concurrency` is not set. By Little's law, keeping `c` items in flight that each work
 * `T` seconds (time queued for rate-limit slots excluded) gives `c / T` items/s; a provider
 * allowing `r` requests/s that an item costs `k` calls of caps the run at `r / k` items/s. So
 * `c = headroom × T × min(r / k)`, within [min, max]: a binding provider is kept at its limit
 * (the limiter's queue absorbs the headroom; nothing goes above the limit), a fast or cached
 * provider holds nothing back (no calls → no bound → max).
 */
export class AdaptiveConcurrency {
  readonly #source: ConcurrencySource;
  readonly #min: number;
  readonly #max: number;
  readonly #headroom: number;
  readonly #alpha: number;
  #value: number;
  #workMs: number | undefined;
  readonly #initialWorkMs: number;
  readonly #baseline: Readonly<Record<string, number>>;
  #started = 0;
  #done = 0;

  constructor(source: ConcurrencySource, options: AdaptiveConcurrencyOptions = {}) {
    this.#source = source;
    this.#min = options.min ?? 2;
    this.#max = options.max ?? 64;
    this.#headroom = options.headroom ?? 1.25;
    this.#alpha = options.alpha ?? 0.1;
    this.#initialWorkMs = options.initialWorkMs ?? 1000;
    this.#baseline = { ...source.slotsTaken() };
    // Until items are seen: one call per item to every provider, `initialWorkMs` each.
    const first = Math.min(...source.providers().map((p) => source.perSecond(p)));
    this.#value = this.#size(this.#initialWorkMs, first);
  }

  /** The current concurrency. */
  get value(): number {
    return this.#value;
  }

  /** What the last estimate rests on (for logs and `doctor`). */
  get basis(): { workMs?: number; callsPerItem: Record<string, number>; items: number } {
    return {
      ...(this.#workMs !== undefined ? { workMs: Math.round(this.#workMs) } : {}),
      callsPerItem: Object.fromEntries(Object.entries(this.#callsPerItem()).map(([k, v]) => [k, round(v)])),
      items: this.#done,
    };
  }

  /**
   * Runs one item's work and learns from it; returns what `work` returns. The work is handed the
   * item's clock: its provider calls stop it while they queue (run-provider.ts passes it on).
   */
  async track<T>(work: (clock: QueueClock) => Promise<T>): Promise<T> {
    const clock = new QueueClock();
    const started = performance.now();
    this.#started += 1;
    try {
      return await work(clock);
    } finally {
      this.observe(performance.now() - started - clock.waitedMs);
    }
  }

  /** One item finished after `workMs` of work (its rate-limit queue waits left out). */
  observe(workMs: number): number {
    this.#done += 1;
    this.#started = Math.max(this.#started, this.#done);
    const a = this.#done === 1 ? 1 : this.#alpha;
    this.#workMs = this.#workMs === undefined ? workMs : this.#workMs + a * (workMs - this.#workMs);
    let bound = Number.POSITIVE_INFINITY;
    for (const [p, k] of Object.entries(this.#callsPerItem())) {
      if (k > 0.01) bound = Math.min(bound, this.#source.perSecond(p) / k);
    }
    this.#value = this.#size(this.#workMs, bound);
    return this.#value;
  }

  /** Calls per item so far: slots taken since this controller began ÷ items begun. */
  #callsPerItem(): Record<string, number> {
    const slots = this.#source.slotsTaken();
    const items = Math.max(1, this.#started);
    return Object.fromEntries(
      Object.entries(slots).map(([p, n]) => [p, (n - (this.#baseline[p] ?? 0)) / items]),
    );
  }

  #size(workMs: number, itemsPerSecond: number): number {
    if (!Number.isFinite(itemsPerSecond)) return this.#max;
    return clamp(Math.ceil(this.#headroom * (workMs / 1000) * itemsPerSecond), this.#min, this.#max);
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(n)));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
