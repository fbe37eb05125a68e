import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../errors.js';
import type { BackfillRequest, BackfillStatus } from '../service/types.js';
import type { BackfillEvent, BackfillReport } from './backfill.js';

/**
 * The one backfill a service runs at a time (started from the page or the API): its status as
 * it progresses, told to subscribers at most every `everyMs` and on start and end.
 */
export class BackfillRuns {
  #current?: { status: BackfillStatus; controller: AbortController };
  readonly #listeners = new Set<(status: BackfillStatus) => void>();
  #toldAt = 0;

  constructor(
    private readonly run: (
      request: BackfillRequest,
      onProgress: (event: BackfillEvent) => void,
      signal: AbortSignal,
    ) => Promise<BackfillReport>,
    private readonly everyMs = 200,
  ) {}

  get running(): boolean {
    return Boolean(this.#current?.status.running);
  }

  /** Starts a run in the background; throws BACKFILL_BUSY while one runs. */
  start(request: BackfillRequest): { id: string } {
    if (this.running)
      throw new ConflictError('BACKFILL_BUSY', 'a backfill is already running; stop it first');
    const controller = new AbortController();
    const status: BackfillStatus = {
      id: randomUUID(),
      libraryId: request.libraryId,
      mode: request.mode,
      dryRun: Boolean(request.dryRun),
      done: 0,
      total: 0,
      decisions: {},
      failed: 0,
      running: true,
      stopped: false,
      startedAt: new Date().toISOString(),
    };
    this.#current = { status, controller };
    this.#tell(true);
    const onProgress = (e: BackfillEvent) => {
      status.done = e.done;
      status.total = e.total;
      if (e.outcome) {
        const d = e.outcome.skipped ? 'skipped' : e.outcome.decision;
        status.decisions[d] = (status.decisions[d] ?? 0) + 1;
      } else status.failed += 1;
      this.#tell(false);
    };
    this.run(request, onProgress, controller.signal).then(
      (report) => {
        status.total = report.total;
        status.decisions = { ...report.decisions };
        status.failed = report.failed;
        status.stopped = Boolean(report.stopped);
        if (!status.stopped) status.done = report.total;
        this.#end(status);
      },
      (error: unknown) => {
        status.error = (error as Error).message;
        status.stopped = controller.signal.aborted;
        this.#end(status);
      },
    );
    return { id: status.id };
  }

  status(): BackfillStatus | null {
    return this.#current ? { ...this.#current.status } : null;
  }

  stop(): BackfillStatus | null {
    this.#current?.controller.abort();
    return this.status();
  }

  subscribe(listener: (status: BackfillStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #end(status: BackfillStatus): void {
    status.running = false;
    status.finishedAt = new Date().toISOString();
    this.#tell(true);
  }

  #tell(always: boolean): void {
    if (!always && Date.now() - this.#toldAt < this.everyMs) return;
    this.#toldAt = Date.now();
    const status = this.status();
    if (!status) return;
    for (const l of this.#listeners) {
      try {
        l(status);
      } catch {
        // a listener (a closed stream) never breaks the run
      }
    }
  }
}
