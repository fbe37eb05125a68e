import type { AggregatedResult } from '../domain/aggregated.js';
import type { DecisionOutcome } from '../matching/decision.js';

/**
 * Books the bridge did not apply are looked at again on a backoff schedule, so a new release
 * that providers did not know yet, or a book that just missed the bar, heals without a person.
 * The record says why it was not applied (`kind`) and when it is due again (`nextAt`).
 */
export type RecheckKind = 'no-candidate' | 'below-bar' | 'too-close' | 'provider-down';

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
