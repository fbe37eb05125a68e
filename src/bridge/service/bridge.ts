import { NotFoundError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import type { ProcessRequest } from '../pipeline/types.js';
import { rejectItem } from '../state/review.js';
import { undoItem } from '../state/undo.js';
import {
  type BackfillEvent,
  type BackfillMode,
  type BackfillReport,
  backfill,
} from '../triggers/backfill.js';
import { BackfillRuns } from '../triggers/backfill-runs.js';
import { type CatchUpReport, catchUp } from '../triggers/catch-up.js';
import { PushMemory } from '../triggers/echo.js';
import { subscribeSocketTriggers } from '../triggers/socket.js';
import type { Bridge, BridgeParts } from './parts.js';
import type {
  BackfillRequest,
  BackfillStatus,
  BridgeStatus,
  ItemRecord,
  LibrarySummary,
  MatchOutcome,
  RematchOptions,
  SocketState,
  UndoOutcome,
} from './types.js';
import { ItemWorker } from './worker.js';

/**
 * The bridge service: socket triggers and catch-up feed the item worker (queue → pipeline → ABS);
 * the rest answers the service contract from the state store.
 */
export class BridgeImpl implements Bridge {
  readonly #parts: BridgeParts;
  readonly #log: Logger;
  readonly #pushes = new PushMemory();
  readonly #worker: ItemWorker;
  readonly #startedAt = new Date().toISOString();
  readonly #timers: NodeJS.Timeout[] = [];
  #unsubscribe?: () => void;
  #lastCatchUpAt?: string;
  #absReachable = false;
  #catchingUp?: Promise<CatchUpReport>;
  #closed = false;
  readonly #backfills = new BackfillRuns((request, onProgress, signal) =>
    this.backfill(request.libraryId, request.mode, onProgress, { dryRun: Boolean(request.dryRun), signal }),
  );

  constructor(parts: BridgeParts) {
    this.#parts = parts;
    this.#log = parts.logger.child({ module: 'bridge' });
    const { timing, concurrency, listener: _listener, close: _close, ...deps } = parts;
    this.#worker = new ItemWorker(
      {
        ...deps,
        logger: this.#log,
        ...(timing?.now ? { now: timing.now } : {}),
        onPushed: (id, s) => this.#pushes.remember(id, s),
      },
      concurrency,
      () => {
        this.#absReachable = true;
      },
    );
  }

  async start(): Promise<void> {
    const { listener, config, timing = {}, store } = this.#parts;
    if (listener) {
      this.#unsubscribe = subscribeSocketTriggers(listener, {
        config,
        store,
        pushes: this.#pushes,
        enqueue: (job) => this.#worker.enqueue(job),
        catchUp: () => this.catchUp(),
        logger: this.#log,
      });
      await listener.start();
    } else
      this.#log.warn(
        'no socket credentials (abs.username/password or abs.token): polling mode, catch-up only',
      );
    await this.catchUp().catch((err) => this.#log.error({ err }, 'initial catch-up failed'));
    const polling = !listener || listener.state() === 'polling';
    if (listener && polling) this.#log.warn('socket has no credentials: polling mode, catch-up only');
    const every = !polling
      ? (timing.catchUpIntervalMs ?? config.bridge.catchUpIntervalSeconds * 1000)
      : (timing.pollIntervalMs ?? 30_000);
    this.#every(every, () => this.catchUp(), 'catch-up failed');
    // One timer for every scheduled re-check, a waiting book's included (its first is after
    // waitRetrySeconds, then backing off); other re-checks are hours apart, so 5 minutes at most.
    const waitRetryMs = timing.waitRetryMs ?? config.bridge.waitRetrySeconds * 1000;
    this.#every(Math.min(waitRetryMs, 300_000), () => this.recheckDue(), 're-checks failed');
  }

  #every(ms: number, work: () => Promise<unknown>, failure: string): void {
    const timer = setInterval(() => {
      work().catch((err) => this.#log.warn({ err }, failure));
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  async stop(): Promise<void> {
    this.#backfills.stop();
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#parts.listener?.stop();
    await this.#worker.drain();
    if (!this.#closed) {
      this.#closed = true;
      await this.#parts.close();
    }
  }

  catchUp(): Promise<CatchUpReport> {
    // One catch-up at a time: reconnect storms must not list the library repeatedly.
    this.#catchingUp ??= this.#doCatchUp().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async #doCatchUp(): Promise<CatchUpReport> {
    const { config, abs, store } = this.#parts;
    try {
      const report = await catchUp({
        abs,
        store,
        logger: this.#log,
        triggerTag: config.bridge.triggerTag,
        commandTags: Object.values(config.bridge.tagCommands),
        libraryIds: config.abs.libraryIds,
        enqueue: (job) => this.#worker.enqueue(job),
      });
      this.#absReachable = true;
      this.#lastCatchUpAt = new Date().toISOString();
      return report;
    } catch (error) {
      this.#absReachable = false;
      throw error;
    }
  }

  backfill(
    libraryId: string,
    mode: BackfillMode,
    onProgress?: (e: BackfillEvent) => void,
    opts: { dryRun?: boolean; incompleteBelow?: number; signal?: AbortSignal } = {},
  ): Promise<BackfillReport> {
    const dryRun = Boolean(opts.dryRun);
    const worker = this.#worker;
    return backfill(
      {
        abs: this.#parts.abs,
        store: this.#parts.store,
        logger: this.#log,
        dryRun,
        ...(opts.incompleteBelow !== undefined ? { incompleteBelow: opts.incompleteBelow } : {}),
        // A dry run stays out of the job queue but keeps to the bridge's concurrency.
        process: (itemId) =>
          dryRun
            ? worker.dryRun({ itemId, reason: 'backfill (dry run)', force: true })
            : worker.process({ itemId, reason: 'backfill', force: true }),
        ...(onProgress ? { onProgress } : {}),
        ...(this.#parts.readAhead
          ? { readAhead: { read: this.#parts.readAhead, size: () => worker.window(dryRun) } }
          : {}),
        ...(opts.signal ? { signal: opts.signal, window: () => worker.window(dryRun) } : {}),
      },
      libraryId,
      mode,
    );
  }

  async listLibraries(): Promise<LibrarySummary[]> {
    const libs = await this.#parts.abs.listLibraries();
    return libs.filter((l) => l.mediaType === 'book').map((l) => ({ id: l.id, name: l.name }));
  }

  async startBackfill(request: BackfillRequest): Promise<{ id: string }> {
    if (this.#backfills.running) return this.#backfills.start(request); // throws BACKFILL_BUSY
    const libs = await this.listLibraries();
    if (!libs.some((l) => l.id === request.libraryId)) {
      throw new NotFoundError('LIBRARY_NOT_FOUND', `no book library "${request.libraryId}" in ABS`);
    }
    return this.#backfills.start(request);
  }

  backfillStatus(): BackfillStatus | null {
    return this.#backfills.status();
  }

  stopBackfill(): BackfillStatus | null {
    return this.#backfills.stop();
  }

  onBackfill(listener: (status: BackfillStatus) => void): () => void {
    return this.#backfills.subscribe(listener);
  }

  idle(): Promise<void> {
    return this.#worker.idle();
  }

  status(): BridgeStatus {
    const { listener, abs } = this.#parts;
    const socket: SocketState = listener ? listener.state() : 'polling';
    return {
      ...(abs.baseUrl ? { absUrl: abs.baseUrl } : {}),
      absReachable: this.#absReachable,
      socket,
      queueDepth: this.#worker.size,
      running: this.#worker.running,
      ...(this.#lastCatchUpAt ? { lastCatchUpAt: this.#lastCatchUpAt } : {}),
      startedAt: this.#startedAt,
      counts: { ...this.#worker.counts },
    };
  }

  recentItems(limit: number): Promise<ItemRecord[]> {
    return this.#parts.store.recent(limit);
  }

  getItem(itemId: string): Promise<ItemRecord | null> {
    return this.#parts.store.getItem(itemId);
  }

  rematch(itemId: string, opts: RematchOptions = {}): Promise<MatchOutcome> {
    const req: ProcessRequest = { itemId, reason: 'manual', force: true, ...opts };
    // A dry run writes nothing, so it need not wait behind the item's queue.
    return opts.dryRun ? this.#worker.run(req) : this.#worker.process(req);
  }

  listReview(): Promise<ItemRecord[]> {
    return this.#parts.store.review();
  }

  listWaiting(): Promise<ItemRecord[]> {
    return this.#parts.store.waiting();
  }

  /** Queues the books whose re-check is due; returns how many. */
  async recheckDue(): Promise<number> {
    const now = this.#parts.timing?.now?.() ?? Date.now();
    const due = (await this.#parts.store.rechecks()).filter((r) => (r.recheck?.nextAt ?? 0) <= now);
    // Past the provider caches: a negative answer cached a day ago is what the re-check questions.
    for (const r of due)
      this.#worker.enqueue({
        itemId: r.itemId,
        reason: `re-check (${r.recheck?.kind})`,
        force: true,
        refresh: true,
      });
    return due.length;
  }

  /** Queues every item waiting for a provider; each one waits again if it is still down. */
  async retryWaiting(): Promise<number> {
    const waiting = await this.listWaiting();
    for (const r of waiting)
      this.#worker.enqueue({ itemId: r.itemId, reason: 'provider back?', force: true });
    return waiting.length;
  }

  approve(itemId: string, candidateIndex?: number): Promise<MatchOutcome> {
    return this.#worker.process({
      itemId,
      reason: 'approved',
      force: true,
      approve: candidateIndex === undefined ? {} : { candidateIndex },
    });
  }

  reject(itemId: string): Promise<void> {
    return rejectItem(this.#parts.store, itemId);
  }

  undo(itemId: string): Promise<UndoOutcome> {
    const { abs, store, locks } = this.#parts;
    return undoItem({ abs, store, locks, onPushed: (id, s) => this.#pushes.remember(id, s) }, itemId);
  }
}
