import { Aggregator } from '../../../src/aggregate/aggregator.js';
import type {
  BridgeService,
  BridgeStatus,
  ItemRecord,
  MatchOutcome,
  RematchOptions,
  UndoOutcome,
} from '../../../src/bridge/service/types.js';
import type { BackfillReport } from '../../../src/bridge/triggers/backfill.js';
import { BackfillRuns } from '../../../src/bridge/triggers/backfill-runs.js';
import { type LookupContext, makeLookupContext } from '../../../src/domain/lookup.js';
import {
  InvalidRequestError,
  ItemNotFoundError,
  NotFoundError,
  NothingToUndoError,
  NotInReviewError,
  UnknownItemError,
} from '../../../src/errors.js';
import { EventBus } from '../../../src/events/bus.js';
import { decide } from '../../../src/matching/decision.js';
import { createMockProvider, type MockResponse } from '../../../src/providers/mock.js';

/**
 * A small in-memory BridgeService for the HTTP and web tests: it runs the real aggregator over
 * canned providers and keeps records, review queue and history in maps. Writes to ABS are
 * modelled as "lastPushed"; undo restores `previous`.
 */
export interface MemoryService extends BridgeService {
  events: EventBus;
  aggregator: Aggregator;
  /** Adds an ABS item with its current context and processes it like the bridge would. */
  add(itemId: string, ctx: Partial<LookupContext>): Promise<MatchOutcome>;
  /** Adds an ABS item the bridge has not processed yet (not known to it until a match). */
  addToAbs(itemId: string, ctx: Partial<LookupContext>): void;
  /** A provider the decision depends on is down (true): matches wait instead of deciding. */
  setProvidersDown(down: boolean): void;
  /** Stores a record as the bridge would have left it (a crafted review item, say). */
  seed(record: ItemRecord): void;
  calls: string[];
  statusValue: BridgeStatus;
  /** The fake ABS library a backfill runs over: its items and the time each one takes. */
  backfillLibrary: { id: string; name: string; items: number; msPerItem: number };
}

export const AUDIBLE_PHM: MockResponse = {
  matchConfidence: 0.97,
  fields: {
    title: 'Project Hail Mary',
    authors: [{ name: 'Andy Weir', asin: 'B00G0WYW92' }],
    narrators: ['Ray Porter'],
    series: [],
    publisher: 'Audible Studios',
    publishedYear: '2021',
    asin: 'B08G9PRS1K',
    language: 'English',
    durationSeconds: 58_320,
    genres: ['Science Fiction'],
    description: '<p>A lone astronaut must save the earth.</p>',
    cover: { url: 'https://m.media-amazon.com/images/I/91vS2L5YfEL.jpg' },
    customFields: {},
  },
};

const ACTIONS = { apply: 'applied', review: 'review', reject: 'rejected', wait: 'waiting' } as const;

export function createMemoryService(): MemoryService {
  const events = new EventBus();
  const audible = createMockProvider({
    id: 'audible',
    responses: {
      'project hail mary': AUDIBLE_PHM,
      B08G9PRS1K: AUDIBLE_PHM,
      'the way of kings': {
        matchConfidence: 0.75,
        fields: { title: 'The Way of Kings', authors: [{ name: 'Brandon Sanderson' }], customFields: {} },
      },
    },
  }).provider;
  const libation = createMockProvider({
    id: 'libation',
    kind: 'local',
    weight: 0.95,
    responses: {
      'project hail mary': {
        matchConfidence: 0.9,
        fields: {
          title: 'Project Hail Mary',
          publisher: 'Audible Originals',
          narrators: ['Ray Porter'],
          description: '<p>A lone astronaut must save the earth.</p>',
          customFields: {},
        },
      },
      'the way of kings': {
        matchConfidence: 0.8,
        fields: {
          title: 'The Way of Kings',
          series: [{ name: 'The Stormlight Archive', sequence: '1' }],
          customFields: {},
        },
      },
    },
  }).provider;
  const openlibrary = createMockProvider({
    id: 'openlibrary',
    weight: 0.7,
    responses: {
      'the way of kings': {
        matchConfidence: 0.7,
        fields: {
          title: 'The Way of Kings',
          authors: [{ name: 'Brandon Sanderson' }],
          series: [{ name: 'Stormlight Archive', sequence: '1' }],
          publisher: 'Tor',
          customFields: {},
        },
      },
    },
  }).provider;
  const aggregator = new Aggregator({ providers: [libation, audible, openlibrary], events });
  const items = new Map<string, ItemRecord & { ctx: LookupContext }>();
  const calls: string[] = [];
  const statusValue: BridgeStatus = {
    absUrl: 'http://abs.local',
    absReachable: true,
    socket: 'connected',
    queueDepth: 0,
    running: 0,
    startedAt: new Date().toISOString(),
    counts: { apply: 0, review: 0, reject: 0, wait: 0, failed: 0 },
  };

  const backfillLibrary = { id: 'lib_books', name: 'Audiobooks', items: 12, msPerItem: 40 };
  const DECIDED = ['apply', 'apply', 'review', 'reject'] as const;
  // Two at a time, like the bridge's queue: a stop lets the items already running finish.
  const backfills = new BackfillRuns(async (request, onProgress, signal) => {
    const { items: total, msPerItem } = backfillLibrary;
    const report: BackfillReport = {
      libraryId: request.libraryId,
      mode: request.mode,
      total,
      processed: 0,
      resumed: 0,
      failed: 0,
      decisions: {},
      dryRun: Boolean(request.dryRun),
    };
    let next = 0;
    const worker = async () => {
      while (next < total && !signal.aborted) {
        const i = next++;
        await new Promise((r) => setTimeout(r, msPerItem));
        const decision = DECIDED[i % DECIDED.length] as (typeof DECIDED)[number];
        report.processed += 1;
        report.decisions[decision] = (report.decisions[decision] ?? 0) + 1;
        onProgress({
          itemId: `li_bf_${i}`,
          done: report.processed,
          total,
          outcome: {
            itemId: `li_bf_${i}`,
            decision,
            confidence: 0.9,
            reason: 'backfill',
            changes: [],
            applied: decision === 'apply',
            dryRun: report.dryRun,
            sidecars: [],
          },
        });
      }
    };
    await Promise.all([worker(), worker()]);
    if (report.processed < total) report.stopped = true;
    return report;
  });

  // `items` is ABS's library; an item is known to the bridge once it has a decision.
  const inAbs = (id: string) => {
    const item = items.get(id);
    if (!item) throw new ItemNotFoundError(id);
    return item;
  };
  const known = (id: string) => {
    const item = items.get(id);
    if (!item?.decision) throw new UnknownItemError(id);
    return item;
  };
  const records = () => [...items.values()].filter((i) => i.decision).map(({ ctx: _ctx, ...r }) => r);
  let providersDown = false;

  async function process(id: string, opts: RematchOptions = {}) {
    const item = inAbs(id);
    const { hint } = opts;
    const ctx = hint
      ? {
          ...item.ctx,
          ...(hint.title ? { title: hint.title } : {}),
          ...(hint.author ? { authors: [hint.author] } : {}),
          ...(hint.asin ? { asin: hint.asin } : {}),
        }
      : item.ctx;
    const result = await aggregator.aggregate(ctx, { refresh: opts.refresh ?? false });
    const { decision, reason } = providersDown
      ? { decision: 'wait' as const, reason: 'waiting for audible: network_error' }
      : decide({
          confidence: result.confidence,
          runnerUpConfidence: result.runnerUpConfidence,
          found: Object.keys(result.sources).length > 0,
        });
    const changes = Object.entries(result.sources).map(([field, provider]) => ({
      field,
      old: (item.ctx as unknown as Record<string, unknown>)[field],
      new: (result.metadata as Record<string, unknown>)[field],
      provider,
    }));
    const applied = decision === 'apply' && !opts.dryRun;
    const at = new Date().toISOString();
    if (!opts.dryRun) {
      Object.assign(item, { result, decision, reason, confidence: result.confidence, updatedAt: at });
      statusValue.counts[decision] += 1;
      item.history.push({
        at,
        action: ACTIONS[decision],
        // As the real bridge records it: the per-field diff of what was written.
        ...(applied ? { changedFields: changes.map((c) => c.field), changes } : {}),
      });
      if (applied) {
        item.previous = { title: item.ctx.title };
        item.lastPushed = result.metadata;
        await events.emit('item.applied', {
          itemId: id,
          title: item.title,
          confidence: result.confidence,
          changedFields: changes.map((c) => c.field),
        });
      } else if (decision === 'review') {
        await events.emit('item.review', {
          itemId: id,
          title: item.title,
          confidence: result.confidence,
          reason,
        });
      }
    }
    return {
      itemId: id,
      decision,
      confidence: result.confidence,
      reason,
      changes,
      applied,
      dryRun: Boolean(opts.dryRun),
      sidecars: [],
    } satisfies MatchOutcome;
  }

  return {
    events,
    aggregator,
    calls,
    statusValue,
    backfillLibrary,
    seed(record) {
      items.set(record.itemId, {
        ...record,
        ctx: makeLookupContext({ itemId: record.itemId, title: record.title }),
      });
    },
    async add(itemId, ctx) {
      this.addToAbs(itemId, ctx);
      return process(itemId);
    },
    addToAbs(itemId, ctx) {
      items.set(itemId, {
        itemId,
        title: ctx.title,
        updatedAt: new Date().toISOString(),
        history: [],
        ctx: makeLookupContext({ itemId, ...ctx }),
      });
    },
    setProvidersDown(down) {
      providersDown = down;
    },
    status: () => ({ ...statusValue, counts: { ...statusValue.counts } }),
    async recentItems(limit) {
      return records().slice(-limit).reverse();
    },
    async getItem(id) {
      const item = items.get(id);
      if (!item?.decision) return null;
      const { ctx: _ctx, ...rest } = item;
      return rest;
    },
    async rematch(id, opts) {
      calls.push(`rematch:${id}:${JSON.stringify(opts ?? {})}`);
      return process(id, opts);
    },
    async listReview() {
      return records().filter((i) => i.decision === 'review');
    },
    async listWaiting() {
      return records().filter((i) => i.decision === 'wait');
    },
    async approve(id, candidateIndex) {
      calls.push(`approve:${id}:${candidateIndex ?? ''}`);
      const item = known(id);
      if (item.decision !== 'review' || !item.result) throw new NotInReviewError(id, item.decision);
      const candidates = item.result.candidates;
      if (candidateIndex !== undefined && !candidates[candidateIndex])
        throw new InvalidRequestError('approval', [
          `candidate ${candidateIndex} does not exist (have ${candidates.length})`,
        ]);
      Object.assign(item, {
        decision: 'apply',
        previous: { title: item.ctx.title },
        lastPushed: candidates[candidateIndex ?? -1]?.fields ?? item.result.metadata,
        updatedAt: new Date().toISOString(),
      });
      item.history.push({ at: item.updatedAt, action: 'approved' });
      return {
        itemId: id,
        decision: 'apply',
        confidence: item.confidence ?? 0,
        reason: 'approved by a person',
        changes: [],
        applied: true,
        dryRun: false,
        sidecars: [],
      };
    },
    async reject(id) {
      calls.push(`reject:${id}`);
      const item = known(id);
      Object.assign(item, { decision: 'reject', updatedAt: new Date().toISOString() });
      item.history.push({ at: item.updatedAt, action: 'rejected', note: 'by a person' });
    },
    async listLibraries() {
      return [
        { id: backfillLibrary.id, name: backfillLibrary.name },
        { id: 'lib_podcasts_books', name: 'Radio plays' },
      ];
    },
    async startBackfill(request) {
      calls.push(`backfill:${request.libraryId}:${request.mode}:${Boolean(request.dryRun)}`);
      if (!backfills.running && !(await this.listLibraries()).some((l) => l.id === request.libraryId))
        throw new NotFoundError('LIBRARY_NOT_FOUND', `no book library "${request.libraryId}" in ABS`);
      return backfills.start(request);
    },
    backfillStatus: () => backfills.status(),
    stopBackfill: () => backfills.stop(),
    onBackfill: (listener) => backfills.subscribe(listener),
    async undo(id): Promise<UndoOutcome> {
      calls.push(`undo:${id}`);
      const item = known(id);
      if (!item.previous) throw new NothingToUndoError(id);
      const restoredFields = Object.keys(item.previous);
      delete item.previous;
      item.history.push({ at: new Date().toISOString(), action: 'undone', changedFields: restoredFields });
      return { itemId: id, restoredFields };
    },
  };
}
