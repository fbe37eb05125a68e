import PQueue from 'p-queue';

/** Why a job was queued; `force` jobs run even when the item looks processed. */
export interface JobRequest {
  itemId: string;
  reason: string;
  force?: boolean;
  refresh?: boolean;
  /** When it was queued (ms); set by the queue when absent. */
  queuedAt?: number;
}

interface Entry<J, R> {
  job: J;
  promise: Promise<R>;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface Pushed<R> {
  /** Settles with the outcome of the job that covers this request. */
  promise: Promise<R>;
  /** False when the request merged into a queued or running job. */
  fresh: boolean;
}

/**
 * One job per item at a time. A request for an item that is queued merges into that job
 * (force/refresh OR-ed, later extra fields win). For an item that is running, a forced request
 * (a re-match asked for meanwhile) runs once after it; any other shares the running job's
 * outcome — that job already reads the item's latest state.
 */
export class JobQueue<J extends JobRequest, R> {
  readonly #queue: PQueue;
  readonly #run: (job: J) => Promise<R>;
  readonly #queued = new Map<string, Entry<J, R>>();
  readonly #running = new Map<string, Entry<J, R>>();
  readonly #followUps = new Map<string, Entry<J, R>>();
  #closed = false;

  constructor(concurrency: number, run: (job: J) => Promise<R>) {
    this.#queue = new PQueue({ concurrency });
    this.#run = run;
  }

  push(request: J): Pushed<R> {
    const job = { ...request, queuedAt: request.queuedAt ?? Date.now() };
    if (this.#closed) {
      const entry = makeEntry<J, R>(job);
      entry.reject(new Error('bridge stopped'));
      return { promise: entry.promise, fresh: false };
    }
    const queued = this.#queued.get(job.itemId);
    if (queued) {
      queued.job = merge(queued.job, job);
      return { promise: queued.promise, fresh: false };
    }
    const running = this.#running.get(job.itemId);
    if (running) {
      if (!job.force) return { promise: running.promise, fresh: false };
      const follow = this.#followUps.get(job.itemId);
      if (follow) {
        follow.job = merge(follow.job, job);
        return { promise: follow.promise, fresh: false };
      }
      const entry = makeEntry<J, R>(job);
      this.#followUps.set(job.itemId, entry);
      return { promise: entry.promise, fresh: true };
    }
    const entry = makeEntry<J, R>(job);
    this.#start(entry);
    return { promise: entry.promise, fresh: true };
  }

  #start(entry: Entry<J, R>): void {
    this.#queued.set(entry.job.itemId, entry);
    void this.#queue.add(() => this.#execute(entry));
  }

  async #execute(entry: Entry<J, R>): Promise<void> {
    const itemId = entry.job.itemId;
    if (this.#queued.get(itemId) !== entry) return; // cleared
    this.#queued.delete(itemId);
    this.#running.set(itemId, entry);
    try {
      entry.resolve(await this.#run(entry.job));
    } catch (error) {
      entry.reject(error);
    } finally {
      this.#running.delete(itemId);
      const follow = this.#followUps.get(itemId);
      if (follow) {
        this.#followUps.delete(itemId);
        this.#start(follow);
      }
    }
  }

  /** Jobs run at once; may change while jobs run (adaptive concurrency). */
  get concurrency(): number {
    return this.#queue.concurrency;
  }

  set concurrency(n: number) {
    if (n !== this.#queue.concurrency) this.#queue.concurrency = n;
  }

  get size(): number {
    return this.#queued.size;
  }

  get running(): number {
    return this.#running.size;
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    await this.#queue.onIdle();
  }

  /** Drops queued jobs (running ones finish); their callers, and later ones, get an error. */
  clear(): void {
    this.#closed = true;
    this.#queue.clear();
    for (const e of [...this.#queued.values(), ...this.#followUps.values()])
      e.reject(new Error('bridge stopped'));
    this.#queued.clear();
    this.#followUps.clear();
  }
}

function makeEntry<J, R>(job: J): Entry<J, R> {
  let resolve!: (v: R) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<R>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Socket-triggered jobs have no caller: an unobserved failure must not crash the process.
  promise.catch(() => undefined);
  return { job, promise, resolve, reject };
}

function merge<J extends JobRequest>(a: J, b: J): J {
  return {
    ...a,
    ...b,
    reason: a.reason === b.reason ? a.reason : `${a.reason}+${b.reason}`,
    force: Boolean(a.force || b.force),
    refresh: Boolean(a.refresh || b.refresh),
    queuedAt: Math.min(a.queuedAt ?? Number.POSITIVE_INFINITY, b.queuedAt ?? Number.POSITIVE_INFINITY),
  };
}
