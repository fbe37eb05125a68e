import PQueue from 'p-queue';
import { AbsSocketListener } from '../abs/socket.js';
import type { Runtime } from '../app/runtime.js';
import { NotFoundError, UnknownItemError } from '../errors.js';
import { createDefaultExporters } from '../exporters/index.js';
import type { ExporterRegistry } from '../exporters/registry.js';
import type { Logger } from '../logging.js';
import { bridgeListenerFrom } from './abs-adapter.js';
import {
  type BackfillEvent,
  type BackfillMode,
  type BackfillReport,
  BackfillRuns,
  backfill,
} from './backfill.js';
import { serializeCatalogueWrites } from './catalogue-writes.js';
import { type CatchUpReport, catchUp } from './catch-up.js';
import { classifyUpdate, PushMemory } from './echo.js';
import { coalesceItemReads, type ReadAhead } from './item-reads.js';
import { JobQueue } from './job-queue.js';
import { createMemoryLocks, createRedisLocks, type LockManager } from './locks.js';
import { type ProcessRequest, processItem } from './pipeline.js';
import type { AbsItem, BridgeAbs, BridgeListener } from './ports.js';
import { withHistory } from './records.js';
import { openRuntimeSettings, type RuntimeSettings } from './runtime-settings.js';
import type {
  BackfillRequest,
  BackfillStatus,
  BridgeService,
  BridgeStatus,
  ItemRecord,
  LibrarySummary,
  MatchOutcome,
  RematchOptions,
  SocketState,
  UndoOutcome,
} from './service-types.js';
import { LibrarySpellings } from './spellings.js';
import { openStateStore, type StateStore, stateUrlOf } from './state-store.js';
import { actionTags } from './tag-commands.js';
import { undoItem } from './undo.js';

export interface BridgeDeps {
  runtime: Runtime;
  abs: BridgeAbs;
  /** src/abs's socket listener (or any BridgeListener). Absent: polling mode (catch-up only). */
  listener?: AbsSocketListener | BridgeListener;
  logger: Logger;
}

export interface BridgeOptions {
  /** Default: from config (Redis when cache.url is redis://, else SQLite in dataDir). */
  store?: StateStore;
  locks?: LockManager;
  /** Exporters for sidecars. @default metadata.json and OPF from the format codecs */
  exporters?: ExporterRegistry;
  /** Catch-up interval in polling mode. @default 30000 */
  pollIntervalMs?: number;
  /** Override bridge.catchUpIntervalSeconds (tests). */
  catchUpIntervalMs?: number;
  /** Override bridge.waitRetrySeconds as the re-check timer's interval (tests). */
  waitRetryMs?: number;
  /** The clock for re-check schedules (tests). @default Date.now */
  now?: () => number;
  /** The page's settings (genre rules). @default `<dataDir>/settings.json` */
  settings?: RuntimeSettings;
}

export interface Bridge extends BridgeService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs a catch-up now (also what start, reconnects and the interval do). */
  catchUp(): Promise<CatchUpReport>;
  backfill(
    libraryId: string,
    mode: BackfillMode,
    onProgress?: (e: BackfillEvent) => void,
    opts?: { dryRun?: boolean; incompleteBelow?: number; signal?: AbortSignal },
  ): Promise<BackfillReport>;
  /** Queues the books whose re-check is due (also what a 5-minute timer does). */
  recheckDue(): Promise<number>;
  /** Queues every item waiting for a provider now, due or not (the timer only queues due re-checks). */
  retryWaiting(): Promise<number>;
  /** Resolves when no job is queued or running. */
  idle(): Promise<void>;
}

/** Builds the bridge: socket triggers + catch-up → per-item queue → pipeline → ABS. */
export function createBridge(deps: BridgeDeps, options: BridgeOptions = {}): Bridge {
  return new BridgeImpl(deps, options);
}

class BridgeImpl implements Bridge {
  readonly #deps: Omit<BridgeDeps, 'listener'> & { listener?: BridgeListener };
  readonly #exporters: ExporterRegistry;
  readonly #opts: BridgeOptions;
  readonly #log: Logger;
  readonly #pushes = new PushMemory();
  readonly #reads: BridgeAbs & ReadAhead;
  readonly #queue: JobQueue<ProcessRequest, MatchOutcome>;
  readonly #dryRuns: PQueue;
  readonly #spellings: LibrarySpellings;
  readonly #settings: RuntimeSettings;
  readonly #counts: BridgeStatus['counts'] = { apply: 0, review: 0, reject: 0, wait: 0, failed: 0 };
  readonly #startedAt = new Date().toISOString();
  #ready?: Promise<{ store: StateStore; locks: LockManager }>;
  #unsubscribe: (() => void)[] = [];
  #timer?: NodeJS.Timeout;
  #recheckTimer?: NodeJS.Timeout;
  #lastCatchUpAt?: string;
  #absReachable = false;
  #catchingUp?: Promise<CatchUpReport>;
  readonly #backfills = new BackfillRuns((request, onProgress, signal) =>
    this.backfill(request.libraryId, request.mode, onProgress, {
      dryRun: Boolean(request.dryRun),
      signal,
    }),
  );

  constructor(deps: BridgeDeps, options: BridgeOptions) {
    const { listener, ...rest } = deps;
    this.#reads = coalesceItemReads(rest.abs);
    this.#deps = {
      ...rest,
      abs: serializeCatalogueWrites(this.#reads),
      ...(listener
        ? { listener: listener instanceof AbsSocketListener ? bridgeListenerFrom(listener) : listener }
        : {}),
    };
    this.#opts = options;
    this.#exporters = options.exporters ?? createDefaultExporters();
    this.#settings = options.settings ?? openRuntimeSettings(deps.runtime.config.dataDir);
    this.#log = deps.logger.child({ module: 'bridge' });
    this.#queue = new JobQueue(deps.runtime.concurrency.value, (job) => this.#pipeline(job));
    this.#dryRuns = new PQueue({ concurrency: deps.runtime.concurrency.value });
    const abs = this.#deps.abs;
    this.#spellings = new LibrarySpellings(
      async (libraryId) => (abs.getLibraryNames ? abs.getLibraryNames(libraryId) : null),
      { aliases: deps.runtime.config.bridge.aliases },
    );
  }

  async start(): Promise<void> {
    await this.#state();
    const { listener } = this.#deps;
    if (listener) {
      this.#subscribe(listener);
      await listener.start();
    } else
      this.#log.warn(
        'no socket credentials (abs.username/password or abs.token): polling mode, catch-up only',
      );
    await this.catchUp().catch((err) => this.#log.error({ err }, 'initial catch-up failed'));
    const polling = !listener || listener.state() === 'polling';
    if (listener && polling) this.#log.warn('socket has no credentials: polling mode, catch-up only');
    const every = !polling
      ? (this.#opts.catchUpIntervalMs ?? this.#deps.runtime.config.bridge.catchUpIntervalSeconds * 1000)
      : (this.#opts.pollIntervalMs ?? 30_000);
    this.#timer = setInterval(() => {
      this.catchUp().catch((err) => this.#log.warn({ err }, 'catch-up failed'));
    }, every);
    this.#timer.unref();
    // One timer for every scheduled re-check, a waiting book's included (its first is after
    // waitRetrySeconds, then backing off); other re-checks are hours apart, so 5 minutes at most.
    const waitRetryMs = this.#opts.waitRetryMs ?? this.#deps.runtime.config.bridge.waitRetrySeconds * 1000;
    this.#recheckTimer = setInterval(
      () => {
        this.recheckDue().catch((err) => this.#log.warn({ err }, 're-checks failed'));
      },
      Math.min(waitRetryMs, 300_000),
    );
    this.#recheckTimer.unref();
  }

  async stop(): Promise<void> {
    this.#backfills.stop();
    if (this.#timer) clearInterval(this.#timer);
    if (this.#recheckTimer) clearInterval(this.#recheckTimer);
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await this.#deps.listener?.stop();
    this.#queue.clear();
    await this.#queue.idle();
    if (this.#ready) {
      const { store, locks } = await this.#ready;
      if (!this.#opts.store) await store.close();
      if (!this.#opts.locks) await locks.close();
      this.#ready = undefined;
    }
  }

  async catchUp(): Promise<CatchUpReport> {
    // One catch-up at a time: reconnect storms must not list the library repeatedly.
    this.#catchingUp ??= this.#doCatchUp().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async #doCatchUp(): Promise<CatchUpReport> {
    const { store } = await this.#state();
    const { config } = this.#deps.runtime;
    try {
      const report = await catchUp({
        abs: this.#deps.abs,
        store,
        logger: this.#log,
        triggerTag: config.bridge.triggerTag,
        commandTags: Object.values(config.bridge.tagCommands),
        libraryIds: config.abs.libraryIds,
        enqueue: (job) => this.#enqueue(job),
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
    return this.#state().then(({ store }) =>
      backfill(
        {
          abs: this.#deps.abs,
          store,
          logger: this.#log,
          dryRun,
          ...(opts.incompleteBelow !== undefined ? { incompleteBelow: opts.incompleteBelow } : {}),
          // A dry run stays out of the job queue (a real job for the item must not merge into it)
          // but keeps to the bridge's concurrency.
          process: (itemId) =>
            dryRun
              ? this.#dryRuns.add(
                  () => this.#pipeline({ itemId, reason: 'backfill (dry run)', force: true, dryRun }),
                  { throwOnTimeout: true },
                )
              : this.#process({ itemId, reason: 'backfill', force: true }),
          ...(onProgress ? { onProgress } : {}),
          readAhead: {
            read: (ids) => this.#reads.readAhead(ids),
            size: () => (dryRun ? this.#dryRuns : this.#queue).concurrency,
          },
          ...(opts.signal
            ? { signal: opts.signal, window: () => (dryRun ? this.#dryRuns : this.#queue).concurrency }
            : {}),
        },
        libraryId,
        mode,
      ),
    );
  }

  async listLibraries(): Promise<LibrarySummary[]> {
    const libs = await this.#deps.abs.listLibraries();
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
    return this.#queue.idle();
  }

  status(): BridgeStatus {
    const socket: SocketState = this.#deps.listener ? this.#deps.listener.state() : 'polling';
    return {
      ...(this.#deps.abs.baseUrl ? { absUrl: this.#deps.abs.baseUrl } : {}),
      absReachable: this.#absReachable,
      socket,
      queueDepth: this.#queue.size,
      running: this.#queue.running,
      ...(this.#lastCatchUpAt ? { lastCatchUpAt: this.#lastCatchUpAt } : {}),
      startedAt: this.#startedAt,
      counts: { ...this.#counts },
    };
  }

  async recentItems(limit: number): Promise<ItemRecord[]> {
    return (await this.#state()).store.recent(limit);
  }

  async getItem(itemId: string): Promise<ItemRecord | null> {
    return (await this.#state()).store.getItem(itemId);
  }

  rematch(itemId: string, opts: RematchOptions = {}): Promise<MatchOutcome> {
    const req: ProcessRequest = { itemId, reason: 'manual', force: true, ...opts };
    // A dry run writes nothing, so it need not wait behind the item's queue.
    return opts.dryRun ? this.#pipeline(req) : this.#process(req);
  }

  async listReview(): Promise<ItemRecord[]> {
    return (await this.#state()).store.review();
  }

  async listWaiting(): Promise<ItemRecord[]> {
    return (await this.#state()).store.waiting();
  }

  /** Queues the books whose re-check is due; returns how many. */
  async recheckDue(): Promise<number> {
    const now = this.#opts.now?.() ?? Date.now();
    const due = (await (await this.#state()).store.rechecks()).filter((r) => (r.recheck?.nextAt ?? 0) <= now);
    // Past the provider caches: a negative answer cached a day ago is what the re-check questions.
    for (const r of due)
      this.#enqueue({
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
    for (const r of waiting) this.#enqueue({ itemId: r.itemId, reason: 'provider back?', force: true });
    return waiting.length;
  }

  approve(itemId: string, candidateIndex?: number): Promise<MatchOutcome> {
    return this.#process({
      itemId,
      reason: 'approved',
      force: true,
      approve: candidateIndex === undefined ? {} : { candidateIndex },
    });
  }

  async reject(itemId: string): Promise<void> {
    const { store } = await this.#state();
    const record = await store.getItem(itemId);
    if (!record) throw new UnknownItemError(itemId);
    const now = new Date().toISOString();
    await store.putItem(
      withHistory(
        // A person's reject is final: no re-check brings the book back.
        { ...record, decision: 'reject', reason: 'rejected by a person', updatedAt: now, recheck: undefined },
        { at: now, action: 'rejected', note: 'rejected by a person' },
      ),
    );
  }

  async undo(itemId: string): Promise<UndoOutcome> {
    const { store, locks } = await this.#state();
    return undoItem(
      { abs: this.#deps.abs, store, locks, onPushed: (id, s) => this.#pushes.remember(id, s) },
      itemId,
    );
  }

  #subscribe(listener: BridgeListener): void {
    const on = this.#unsubscribe;
    on.push(listener.on('item_added', (item) => this.#onAdded(item)));
    on.push(
      listener.on('items_added', (items) => {
        for (const i of items) this.#onAdded(i);
      }),
    );
    on.push(listener.on('item_updated', (item) => void this.#onUpdated(item)));
    on.push(
      listener.on('items_updated', (items) => {
        for (const i of items) void this.#onUpdated(i);
      }),
    );
    on.push(
      listener.on('task_finished', () => {
        this.catchUp().catch((err) => this.#log.warn({ err }, 'catch-up after task failed'));
      }),
    );
    on.push(
      listener.on('ready', () => {
        this.catchUp().catch((err) => this.#log.warn({ err }, 'catch-up after reconnect failed'));
      }),
    );
  }

  #watches(item: AbsItem): boolean {
    const only = this.#deps.runtime.config.abs.libraryIds;
    return item.mediaType === 'book' && (only.length === 0 || only.includes(item.libraryId));
  }

  #onAdded(item: AbsItem): void {
    if (this.#watches(item)) this.#enqueue({ itemId: item.id, reason: 'item_added' });
  }

  async #onUpdated(item: AbsItem): Promise<void> {
    if (!this.#watches(item)) return;
    // Stamped before the record is read: a run that saves after this read is newer than the event.
    const queuedAt = Date.now();
    try {
      const { store } = await this.#state();
      const record = await store.getItem(item.id);
      const kind = classifyUpdate(
        item,
        record,
        actionTags(this.#deps.runtime.config.bridge),
        this.#pushes.get(item.id),
      );
      this.#log.debug({ itemId: item.id, kind }, 'item_updated');
      if (kind === 'trigger') this.#enqueue({ itemId: item.id, reason: 'trigger-tag', force: true });
      else if (kind === 'new') this.#enqueue({ itemId: item.id, reason: 'item_updated (new)', queuedAt });
    } catch (err) {
      this.#log.warn({ err, itemId: item.id }, 'item_updated not handled');
    }
  }

  #enqueue(job: ProcessRequest): void {
    if (this.#queue.push(job).fresh)
      void this.#deps.runtime.events.emit('item.queued', { itemId: job.itemId, reason: job.reason });
  }

  /** Runs a request through the queue (one job per item) and returns its outcome. */
  #process(req: ProcessRequest): Promise<MatchOutcome> {
    return this.#queue.push(req).promise;
  }

  async #pipeline(req: ProcessRequest): Promise<MatchOutcome> {
    const { store, locks } = await this.#state();
    const { concurrency } = this.#deps.runtime;
    try {
      const outcome = await concurrency.track(() =>
        processItem(
          {
            runtime: this.#deps.runtime,
            abs: this.#deps.abs,
            store,
            locks,
            logger: this.#log,
            exporters: this.#exporters,
            spellings: this.#spellings,
            settings: this.#settings,
            ...(this.#opts.now ? { now: this.#opts.now } : {}),
            onPushed: (id, s) => this.#pushes.remember(id, s),
          },
          req,
        ),
      );
      // bridge.concurrency unset: follows the providers' limits and the observed work.
      this.#queue.concurrency = concurrency.value;
      this.#dryRuns.concurrency = concurrency.value;
      this.#absReachable = true;
      if (outcome.skipped)
        await this.#deps.runtime.events.emit('item.skipped', { itemId: req.itemId, reason: outcome.skipped });
      else if (!outcome.dryRun) this.#counts[outcome.decision] += 1;
      return outcome;
    } catch (error) {
      this.#counts.failed += 1;
      // A retryable failure (ABS restarting, a timeout) is expected weather: one line, no stack.
      const e = error as { retryable?: boolean; code?: string; message?: string };
      if (e.retryable)
        this.#log.warn({ itemId: req.itemId, code: e.code, error: e.message }, 'item failed (will retry)');
      else this.#log.warn({ err: error, itemId: req.itemId }, 'item failed');
      await this.#deps.runtime.events.emit('item.failed', {
        itemId: req.itemId,
        message: (error as Error).message,
      });
      throw error;
    }
  }

  #state(): Promise<{ store: StateStore; locks: LockManager }> {
    this.#ready ??= (async () => {
      const url = stateUrlOf(this.#deps.runtime.config);
      const store = this.#opts.store ?? openStateStore(url);
      const locks =
        this.#opts.locks ?? (url.startsWith('redis') ? await createRedisLocks(url) : createMemoryLocks());
      return { store, locks };
    })();
    return this.#ready;
  }
}
