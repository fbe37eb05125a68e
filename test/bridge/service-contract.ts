import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeService, SocketState } from '../../src/bridge/service/types.js';
import {
  type BridgeError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  NothingToUndoError,
  NotInReviewError,
} from '../../src/errors.js';

/**
 * A BridgeService with the world around it: an ABS library the books go into and providers that
 * know them (`clear`: a confident match, `unsure`: one a person should look at, `unknown`: none).
 */
export interface ServiceWorld {
  service: BridgeService;
  /** A book library of this world's ABS. */
  libraryId: string;
  /** Puts a book in ABS that the bridge has not matched yet; resolves to its item id. */
  addBook(kind: 'clear' | 'unsure' | 'unknown'): Promise<string>;
  /** The provider the decisions depend on stops (true) or starts (false) answering. */
  setProvidersDown(down: boolean): void;
  close(): Promise<void>;
}

const SOCKET_STATES: SocketState[] = ['connected', 'connecting', 'auth_failed', 'disconnected', 'polling'];

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as BridgeError;
}

/** A 409 for the HTTP layer: a ConflictError of this kind, naming the item. */
function expectConflict(error: BridgeError, type: typeof ConflictError, code: string, itemId: string): void {
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error.code).toBe(code);
  expect(error.message).toContain(itemId);
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * What the HTTP API and the web page rely on from a BridgeService (docs/service.md), run against
 * the real bridge and against every double that stands in for it. The errors are asserted by
 * class, since the HTTP status is chosen by class (src/http/errors.ts).
 */
export function describeServiceContract(name: string, open: () => Promise<ServiceWorld>): void {
  describe(`BridgeService contract: ${name}`, () => {
    let world: ServiceWorld;
    let service: BridgeService;
    beforeEach(async () => {
      world = await open();
      service = world.service;
    });
    afterEach(async () => world.close());

    it('status: the socket state, queue and per-decision counts, which a match moves', async () => {
      const before = service.status();
      expect(typeof before.absReachable).toBe('boolean');
      expect(SOCKET_STATES).toContain(before.socket);
      expect(before.queueDepth).toBeGreaterThanOrEqual(0);
      expect(before.running).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(before.startedAt))).toBe(false);
      expect(Object.keys(before.counts).sort()).toEqual(['apply', 'failed', 'reject', 'review', 'wait']);
      await service.rematch(await world.addBook('clear'));
      expect(service.status().counts.apply).toBe(before.counts.apply + 1);
    });

    it('a match is recorded: outcome, record with its result and history, newest first in recent items', async () => {
      const first = await world.addBook('clear');
      const second = await world.addBook('clear');
      expect(await service.getItem(first)).toBeNull();
      const outcome = await service.rematch(first);
      expect(outcome).toMatchObject({ itemId: first, decision: 'apply', applied: true, dryRun: false });
      expect(outcome.changes.map((c) => c.field)).toContain('publisher');
      await service.rematch(second);
      const record = await service.getItem(first);
      expect(record).toMatchObject({ itemId: first, decision: 'apply' });
      expect(record?.confidence).toBeGreaterThan(0);
      expect(record?.result?.metadata.title).toBeTruthy();
      expect(Object.keys(record?.previous ?? {}).length).toBeGreaterThan(0);
      const last = record?.history.at(-1);
      expect(last?.action).toBe('applied');
      expect(last?.changes?.map((c) => c.field)).toContain('publisher');
      expect((await service.recentItems(10)).map((r) => r.itemId)).toEqual([second, first]);
      expect((await service.recentItems(1)).map((r) => r.itemId)).toEqual([second]);
    });

    it('a dry run reports the changes and records nothing', async () => {
      const id = await world.addBook('clear');
      const outcome = await service.rematch(id, { dryRun: true });
      expect(outcome).toMatchObject({ itemId: id, decision: 'apply', applied: false, dryRun: true });
      expect(outcome.changes.length).toBeGreaterThan(0);
      expect(await service.getItem(id)).toBeNull();
      expect(service.status().counts.apply).toBe(0);
    });

    it('an item ABS does not have is not found, for every action on it', async () => {
      const id = 'li_not_in_abs';
      for (const attempt of [
        () => service.rematch(id),
        () => service.approve(id),
        () => service.reject(id),
        () => service.undo(id),
      ])
        expect(await failure(attempt())).toBeInstanceOf(NotFoundError);
      expect(await service.getItem('li_not_in_abs')).toBeNull();
    });

    it('review: listed; a missing candidate is a bad request; approve applies once, then a conflict', async () => {
      const id = await world.addBook('unsure');
      expect((await service.rematch(id)).decision).toBe('review');
      expect((await service.listReview()).map((r) => r.itemId)).toEqual([id]);
      const candidates = (await service.getItem(id))?.result?.candidates ?? [];
      expect(candidates.length).toBeGreaterThan(0);
      const missing = await failure(service.approve(id, candidates.length + 5));
      expect(missing).toBeInstanceOf(InvalidRequestError);
      expect(missing.message).toContain(`candidate ${candidates.length + 5} does not exist`);
      expect(await service.approve(id)).toMatchObject({ itemId: id, decision: 'apply', applied: true });
      expect(await service.listReview()).toEqual([]);
      const record = await service.getItem(id);
      expect(record?.decision).toBe('apply');
      expect(record?.history.at(-1)?.action).toBe('approved');
      expectConflict(await failure(service.approve(id)), NotInReviewError, 'NOT_IN_REVIEW', id);
    });

    it('approve of a book never matched is not found; of one applied without review is a conflict', async () => {
      const unmatched = await world.addBook('unsure');
      expect(await failure(service.approve(unmatched))).toBeInstanceOf(NotFoundError);
      const applied = await world.addBook('clear');
      await service.rematch(applied);
      expect(await failure(service.approve(applied))).toBeInstanceOf(NotInReviewError);
    });

    it('reject takes a book out of review and records it; a book never matched is not found', async () => {
      const id = await world.addBook('unsure');
      await service.rematch(id);
      await service.reject(id);
      expect(await service.listReview()).toEqual([]);
      const record = await service.getItem(id);
      expect(record?.decision).toBe('reject');
      expect(record?.history.at(-1)?.action).toBe('rejected');
      expect(await failure(service.approve(id))).toBeInstanceOf(NotInReviewError);
      expect(await failure(service.reject(await world.addBook('clear')))).toBeInstanceOf(NotFoundError);
    });

    it('undo restores what the bridge wrote, once; then there is nothing to undo', async () => {
      const id = await world.addBook('clear');
      await service.rematch(id);
      const undone = await service.undo(id);
      expect(undone.itemId).toBe(id);
      expect(undone.restoredFields.length).toBeGreaterThan(0);
      const record = await service.getItem(id);
      expect(record?.history.at(-1)?.action).toBe('undone');
      // The page offers undo only while `previous` holds something.
      expect(Object.keys(record?.previous ?? {})).toEqual([]);
      expectConflict(await failure(service.undo(id)), NothingToUndoError, 'NOTHING_TO_UNDO', id);
    });

    it('undo of a book the bridge never wrote to is a conflict; of an approved one it restores', async () => {
      const id = await world.addBook('unsure');
      await service.rematch(id);
      expect(await failure(service.undo(id))).toBeInstanceOf(NothingToUndoError);
      await service.approve(id);
      expect((await service.undo(id)).restoredFields.length).toBeGreaterThan(0);
    });

    it('waiting: a book whose provider is down waits, is listed, and is decided once it answers', async () => {
      const id = await world.addBook('clear');
      world.setProvidersDown(true);
      const waited = await service.rematch(id);
      expect(waited).toMatchObject({ decision: 'wait', applied: false });
      expect((await service.listWaiting()).map((r) => r.itemId)).toEqual([id]);
      expect(await service.listReview()).toEqual([]);
      expect((await service.getItem(id))?.history.at(-1)?.action).toBe('waiting');
      world.setProvidersDown(false);
      expect((await service.rematch(id, { refresh: true })).decision).toBe('apply');
      expect(await service.listWaiting()).toEqual([]);
    });

    it('backfill: libraries, an unknown library, one run at a time, progress told to the end', async () => {
      expect(service.backfillStatus()).toBeNull();
      expect(service.stopBackfill()).toBeNull();
      expect((await service.listLibraries()).map((l) => l.id)).toContain(world.libraryId);
      const unknown = await failure(service.startBackfill({ libraryId: 'lib_nope', mode: 'all' }));
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(unknown.message).toContain('lib_nope');
      await world.addBook('clear');
      await world.addBook('unknown');
      const told: boolean[] = [];
      const off = service.onBackfill((s) => told.push(s.running));
      const { id } = await service.startBackfill({ libraryId: world.libraryId, mode: 'all' });
      const busy = await failure(service.startBackfill({ libraryId: world.libraryId, mode: 'all' }));
      expect(busy).toBeInstanceOf(ConflictError);
      expect(busy.code).toBe('BACKFILL_BUSY');
      await until(() => service.backfillStatus()?.running === false);
      off();
      const status = service.backfillStatus();
      expect(status).toMatchObject({ id, libraryId: world.libraryId, mode: 'all', running: false });
      expect(status?.total).toBeGreaterThanOrEqual(2);
      expect(status?.done).toBe(status?.total);
      expect(told[0]).toBe(true);
      expect(told.at(-1)).toBe(false);
    });
  });
}
