import type { AggregatedResult } from '../../domain/aggregated.js';

/**
 * Which providers the decision depends on, and whether one of them was down for this result.
 * A book is never applied (or rejected) on lesser evidence while such a provider is unreachable:
 * it waits, and is tried again once the provider answers (see docs/bridge.md, "Provider outages").
 */

/** `custom:*` stands for every ABS custom provider. */
export function dependsOn(providerId: string, waitFor: readonly string[]): boolean {
  return waitFor.some((p) => p === providerId || (p.endsWith(':*') && providerId.startsWith(p.slice(0, -1))));
}

/** Failures that say "unwell", not "no": an open breaker or a 429 are not retried at once but pass. */
const DOWN_CODES = new Set(['CIRCUIT_OPEN', 'RATE_LIMITED', 'RATE_LIMIT_QUEUE_FULL']);

/** Transient failures only: a 4xx that will not change (bad request, auth) is an answer. */
function wasDown(status: string, error?: { code?: string; retryable?: boolean }): boolean {
  if (status === 'timeout') return true;
  if (status !== 'error') return false;
  return error?.retryable !== false || DOWN_CODES.has(error?.code ?? '');
}

/** The providers the decision depends on that did not answer, with why ("audible: timeout"). */
export function providersDown(result: AggregatedResult, waitFor: readonly string[]): string[] {
  return (result.providers ?? [])
    .filter((p) => p.kind === 'network' && dependsOn(p.provider, waitFor) && wasDown(p.status, p.error))
    .map((p) => `${p.provider}: ${p.error?.code?.toLowerCase() ?? p.status}`);
}
