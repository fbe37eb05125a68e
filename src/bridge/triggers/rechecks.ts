import type { AggregatedResult } from '../../domain/aggregated.js';
import type { DecisionOutcome } from '../../matching/decision.js';

/**
 * Books the bridge did not apply are looked at again on a backoff schedule, so a new release
 * that providers did not know yet, or a book that just missed the bar, heals without a person.
 * The record says why it was not applied (`kind`) and when it is due again (`nextAt`).
 */
export type RecheckKind = 'no-candidate' | 'below-bar' | 'too-close' | 'provider-down' | 'chapters-pending';

export interface Recheck {
  kind: RecheckKind;
  /** Re-checks done so far (0 after the first decision). */
  attempts: number;
  /** When it is due (ms since the epoch). */
  nextAt: number;
}

/**
 * A book waiting for a provider that was down: first after `waitRetrySeconds`, then doubling up
 * to an hour, so a long outage is not hammered.
 */
export function providerDownRecheck(
  previous: Recheck | undefined,
  now: number,
  waitRetrySeconds: number,
): Recheck {
  const attempts = previous?.kind === 'provider-down' ? previous.attempts + 1 : 0;
  const delayMs = Math.min(waitRetrySeconds * 1000 * 2 ** attempts, 3_600_000);
  return { kind: 'provider-down', attempts, nextAt: now + delayMs };
}

/** Why a decision did not apply, in a word a person (and a filter) can use. */
export function recheckKind(decision: DecisionOutcome, result: AggregatedResult): RecheckKind {
  if (result.candidates.length === 0 || result.confidence === 0) return 'no-candidate';
  if (decision.decision === 'review' && /runner-up/.test(decision.reason)) return 'too-close';
  return 'below-bar';
}

/**
 * The next re-check after `previous` (none: the first): `scheduleHours[attempts]`, the last step
 * repeating (1 day, 3 days, 1 week, then monthly by default). An empty schedule turns re-checks off.
 */
export function nextRecheck(
  previous: Recheck | undefined,
  kind: RecheckKind,
  now: number,
  scheduleHours: readonly number[],
): Recheck | undefined {
  if (scheduleHours.length === 0) return undefined;
  // A new reason starts the schedule over (a provider back from an outage, a new candidate).
  const attempts = previous?.kind === kind ? previous.attempts + 1 : 0;
  const hours = scheduleHours[Math.min(attempts, scheduleHours.length - 1)] as number;
  return { kind, attempts, nextAt: now + hours * 3_600_000 };
}

/** A release this recent (or still to come) may get its chapters later; an older one will not. */
export const CHAPTERS_PENDING_DAYS = 60;

/**
 * An applied book still without chapters because a provider (Audnexus) has not published them
 * yet, for a release that is recent or in the future: it is re-checked on the same schedule until
 * the chapters appear. Not when the book has chapters of its own, the chapters were written, or
 * the field policy would not write them.
 */
export function chaptersPending(
  result: AggregatedResult,
  o: { now: number; hasOwnChapters: boolean; chaptersWritten: boolean; mayWriteChapters: boolean },
): boolean {
  if (o.hasOwnChapters || o.chaptersWritten || !o.mayWriteChapters) return false;
  if (result.metadata.chapters?.length) return false; // chapters there, but they did not fit the files
  if (!result.providers.some((p) => p.status === 'found' && p.unpublished?.includes('chapters')))
    return false;
  const released = Date.parse(result.metadata.publishedDate ?? '');
  return Number.isFinite(released) && released >= o.now - CHAPTERS_PENDING_DAYS * 86_400_000;
}
