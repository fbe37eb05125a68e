import PQueue from 'p-queue';
import type { Logger } from '../../logging.js';
import { type PipelineDeps, type ProcessRequest, processItem } from '../pipeline/process.js';
import type { BridgeConcurrency } from '../ports.js';
import { JobQueue } from '../triggers/job-queue.js';
import type { BridgeStatus, MatchOutcome } from './types.js';

/**
 * Runs the pipeline for the bridge: real jobs through the per-item queue (one job per item),
 * dry runs beside it at the same concurrency (a real job for the item must not merge into one).
 * Counts decisions and failures for the status, and tells the event bus what was queued,
 * skipped or failed.
 */
export class ItemWorker {
  readonly counts: BridgeStatus['counts'] = { apply: 0, review: 0, reject: 0, wait: 0, failed: 0 };
  readonly #deps: PipelineDeps;
  readonly #concurrency: BridgeConcurrency;
  readonly #log: Logger;
  readonly #onSuccess: () => void;
  readonly #queue: JobQueue<ProcessRequest, MatchOutcome>;
  readonly #dryRuns: PQueue;

  constructor(
    deps: PipelineDeps,
    concurrency: BridgeConcurrency,
    /** Called after every run that reached ABS (the status's `absReachable`). */
    onSuccess: () => void,
  ) {
    this.#deps = deps;
    this.#concurrency = concurrency;
    this.#log = deps.logger;
    this.#onSuccess = onSuccess;
    this.#queue = new JobQueue(concurrency.value, (job) => this.run(job));
    this.#dryRuns = new PQueue({ concurrency: concurrency.value });
  }

  /** Queues a job (merged into one already queued for the item); its outcome goes to the events. */
  enqueue(job: ProcessRequest): void {
    if (this.#queue.push(job).fresh)
      void this.#deps.events.emit('item.queued', { itemId: job.itemId, reason: job.reason });
  }

  /** Runs a request through the queue (one job per item) and returns its outcome. */
  process(req: ProcessRequest): Promise<MatchOutcome> {
    return this.#queue.push(req).promise;
  }

  /** A dry run: outside the item queue, within the bridge's concurrency. */
  dryRun(req: ProcessRequest): Promise<MatchOutcome> {
    return this.#dryRuns.add(() => this.run({ ...req, dryRun: true }), { throwOnTimeout: true });
  }

  /** Items in flight at once, for a backfill's window. */
  window(dryRun: boolean): number {
    return (dryRun ? this.#dryRuns : this.#queue).concurrency;
  }

  get size(): number {
    return this.#queue.size;
  }

  get running(): number {
    return this.#queue.running;
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Drops queued jobs and waits for running ones. */
  async drain(): Promise<void> {
    this.#queue.clear();
    await this.#queue.idle();
  }

  /** One pipeline run, now (no queue). */
  async run(req: ProcessRequest): Promise<MatchOutcome> {
    const concurrency = this.#concurrency;
    try {
      const outcome = await concurrency.track((clock) =>
        processItem(this.#deps, { ...req, clocks: [clock] }),
      );
      // bridge.concurrency unset: follows the providers' limits and the observed work.
      this.#queue.concurrency = concurrency.value;
      this.#dryRuns.concurrency = concurrency.value;
      this.#onSuccess();
      if (outcome.skipped)
        await this.#deps.events.emit('item.skipped', { itemId: req.itemId, reason: outcome.skipped });
      else if (!outcome.dryRun) this.counts[outcome.decision] += 1;
      return outcome;
    } catch (error) {
      this.counts.failed += 1;
      // A retryable failure (ABS restarting, a timeout) is expected weather: one line, no stack.
      const e = error as { retryable?: boolean; code?: string; message?: string };
      if (e.retryable)
        this.#log.warn({ itemId: req.itemId, code: e.code, error: e.message }, 'item failed (will retry)');
      else this.#log.warn({ err: error, itemId: req.itemId }, 'item failed');
      await this.#deps.events.emit('item.failed', {
        itemId: req.itemId,
        message: (error as Error).message,
      });
      throw error;
    }
  }
}
