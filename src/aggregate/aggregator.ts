import type { QueueClock } from '../boundary/queue-clock.js';
import type { AggregatedResult, ProviderOutcome } from '../domain/aggregated.js';
import type { LookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import type { Candidate, ProviderResult } from '../domain/provider-result.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import type { MetadataProvider } from '../providers/types.js';
import {
  byItemIdentifier,
  capFollowUp,
  capUnconfirmed,
  identityConfidence,
  identityRunnerUp,
} from './confidence.js';
import { mergeResults, type WeightedResult } from './merge.js';
import { DEFAULT_MERGE_OPTIONS, type MergeOptions } from './merge-rules.js';
import { bestIdentifiers, canLookup, enrichContext, withLibraryLanguage } from './round-context.js';
import { runProvider } from './run-provider.js';

export interface AggregatorOptions {
  /** Enabled providers, in registry order (the order breaks score ties). */
  providers: MetadataProvider[];
  events: EventBus;
  logger?: Logger;
  merge?: Partial<MergeOptions>;
  /** Timeout for providers that do not set their own. @default 10000 */
  defaultTimeoutMs?: number;
  /** Results whose match confidence is below this are kept out of the merge. @default 0.5 */
  minMatchConfidence?: number;
  /** Rethrow provider errors instead of isolating them. */
  strict?: boolean;
  /** Library id (or `*`) → language, for `LookupContext.libraryLanguage` (config `matching`). */
  libraryLanguages?: Readonly<Record<string, string>>;
}

export interface AggregateOptions {
  /** Values that always win (a person's locked fields). */
  locked?: PartialMetadata;
  signal?: AbortSignal;
  /** The item's clocks (boundary/concurrency.ts): stopped while its lookups queue for rate limits. */
  clocks?: readonly QueueClock[];
  /** Bypass caches. */
  refresh?: boolean;
  /** Ask only these provider ids. */
  only?: readonly string[];
}

/**
 * Runs providers and merges their answers. Three rounds:
 * 1. local providers (tags, sidecars, folder names) — their identifiers and names enrich the context;
 * 2. network providers that can use the context (ASIN/ISBN lookups, searches), concurrently;
 * 3. identifier-only providers skipped in round 2, once round 2 found an ASIN/ISBN.
 */
export class Aggregator {
  readonly #opts: Required<Omit<AggregatorOptions, 'logger' | 'merge' | 'libraryLanguages'>> & {
    libraryLanguages?: Readonly<Record<string, string>>;
    merge: MergeOptions;
    logger?: Logger;
  };

  constructor(options: AggregatorOptions) {
    this.#opts = {
      defaultTimeoutMs: 10_000,
      minMatchConfidence: 0.5,
      strict: false,
      ...options,
      merge: { ...DEFAULT_MERGE_OPTIONS, ...options.merge },
    };
  }

  get providers(): readonly MetadataProvider[] {
    return this.#opts.providers;
  }

  async aggregate(given: LookupContext, options: AggregateOptions = {}): Promise<AggregatedResult> {
    const input = withLibraryLanguage(given, this.#opts.libraryLanguages);
    const fetchedAt = new Date().toISOString();
    const selected = this.#opts.providers.filter((p) => !options.only || options.only.includes(p.id));
    const order = new Map(selected.map((p, i) => [p.id, i]));
    const outcomes: ProviderOutcome[] = [];
    const collected: WeightedResult[] = [];

    const runRound = async (
      providers: MetadataProvider[],
      ctx: LookupContext,
      settle: (result: ProviderResult) => ProviderResult = (r) => r,
    ) => {
      const runs = await Promise.all(
        providers.map((provider) =>
          runProvider(provider, ctx, {
            timeoutMs: provider.timeoutMs ?? this.#opts.defaultTimeoutMs,
            events: this.#opts.events,
            ...(options.signal ? { parentSignal: options.signal } : {}),
            ...(options.clocks ? { clocks: options.clocks } : {}),
            ...(options.refresh ? { refresh: true } : {}),
            strict: this.#opts.strict,
          }).then((run) => ({ provider, run })),
        ),
      );
      for (const { provider, run } of runs) {
        const result = settle(run.result);
        outcomes.push(outcomeOf(provider, result, run.durationMs, run.timedOut));
        collected.push({ provider, result, order: order.get(provider.id) ?? 0 });
      }
    };

    // Round 1: local sources describe the files themselves.
    await runRound(
      selected.filter((p) => p.kind === 'local'),
      input,
    );
    const context = enrichContext(input, collected);

    // Round 2: network providers that can work with what we know.
    const network = selected.filter((p) => p.kind === 'network');
    const eligible = network.filter((p) => canLookup(p, context));
    await runRound(eligible, context, (r) => (byItemIdentifier(r, context) ? r : capUnconfirmed(r)));

    // Round 3: identifier-only providers, once an identifier turned up.
    const deferred = network.filter((p) => !eligible.includes(p));
    const found = bestIdentifiers(collected, this.#opts.minMatchConfidence);
    const followUpCtx: LookupContext = {
      ...context,
      ...(context.asin ? {} : found.asin ? { asin: found.asin } : {}),
      ...(context.isbn ? {} : found.isbn ? { isbn: found.isbn } : {}),
    };
    const followUp = deferred.filter((p) => canLookup(p, followUpCtx));
    // An identifier a search produced carries that search's confidence (confidence.ts).
    const capSearched = (r: ProviderResult) =>
      byItemIdentifier(r, context)
        ? r
        : found.from
          ? capFollowUp(capUnconfirmed(r), found.from.confidence, found.from.provider)
          : capUnconfirmed(r);
    if (followUp.length) await runRound(followUp, followUpCtx, capSearched);
    for (const p of deferred.filter((d) => !followUp.includes(d))) {
      outcomes.push({
        provider: p.id,
        kind: p.kind,
        status: 'skipped',
        matchConfidence: 0,
        cached: false,
        durationMs: 0,
        reason: `needs one of: ${p.capabilities.idTypes.join(', ')}`,
      });
    }

    const included = this.#selectForMerge(collected, outcomes);
    const merged = mergeResults(included, this.#opts.merge, options.locked);
    for (const conflict of merged.conflicts) {
      await this.#opts.events.emit('aggregation.conflict', {
        conflict,
        ...(input.itemId ? { itemId: input.itemId } : {}),
      });
    }
    const { confidence, runnerUp } = scoreIdentity(included, context);
    return {
      ...merged,
      fetchedAt,
      providerTimings: Object.fromEntries(
        outcomes.filter((o) => o.status !== 'skipped').map((o) => [o.provider, round(o.durationMs)]),
      ),
      providers: outcomes,
      confidence,
      runnerUpConfidence: runnerUp,
      candidates: collectCandidates(collected),
      context: followUpCtx,
    };
  }

  /** Keeps successful results that are confident enough and agree on the book's identity. */
  #selectForMerge(collected: WeightedResult[], outcomes: ProviderOutcome[]): WeightedResult[] {
    const min = this.#opts.minMatchConfidence;
    const successful = collected.filter((c) => c.result.success);
    const anchor = [...successful]
      .filter((c) => c.result.fields.asin && c.result.matchConfidence >= min)
      .sort((a, b) => b.result.matchConfidence - a.result.matchConfidence)[0];
    const anchorAsin = anchor?.result.fields.asin?.toUpperCase();
    return successful.filter((c) => {
      const outcome = outcomes.find((o) => o.provider === c.provider.id && o.status === 'found');
      let reason: string | undefined;
      // Local results describe the item's own files, not a guess at which book it is: a tag
      // reading without a title is still the item's narrator and year.
      if (c.result.matchConfidence < min && c.provider.kind !== 'local')
        reason = `match confidence ${c.result.matchConfidence.toFixed(2)} below ${min}`;
      else if (anchorAsin && c.result.fields.asin && c.result.fields.asin.toUpperCase() !== anchorAsin) {
        reason = `identifies a different book (ASIN ${c.result.fields.asin}, expected ${anchorAsin})`;
      }
      if (reason && outcome) {
        outcome.status = 'excluded';
        outcome.reason = reason;
      }
      return !reason;
    });
  }
}

/**
 * The merged identity's confidence follows the confidence rule (`identityConfidence`,
 * confidence.ts). The runner-up is the best score of a candidate that could be the item instead
 * (`identityRunnerUp`: another edition counts unless something the item carries rules it out; a
 * work-level candidate counts through the edition-level result's editions of it, when it lists any).
 */
function scoreIdentity(
  included: WeightedResult[],
  itemIds: Pick<LookupContext, 'asin' | 'isbn'>,
): { confidence: number; runnerUp: number } {
  const { confidence } = identityConfidence(included, itemIds);
  if (!confidence) return { confidence: 0, runnerUp: 0 };
  const runnerUp = identityRunnerUp(included, itemIds);
  return { confidence: round(confidence), runnerUp: round(runnerUp) };
}

function collectCandidates(results: WeightedResult[]): Candidate[] {
  return results
    .flatMap((r) => r.result.candidates)
    .sort((a, b) => b.score - a.score)
    .slice(0, 25);
}

function outcomeOf(
  provider: MetadataProvider,
  result: ProviderResult,
  durationMs: number,
  timedOut: boolean,
): ProviderOutcome {
  const status: ProviderOutcome['status'] = timedOut
    ? 'timeout'
    : result.error
      ? 'error'
      : result.success
        ? 'found'
        : 'not_found';
  return {
    provider: provider.id,
    kind: provider.kind,
    status,
    matchConfidence: result.matchConfidence,
    cached: result.cached,
    ...(result.expiresAt !== undefined ? { expiresAt: result.expiresAt } : {}),
    durationMs: round(durationMs),
    ...(result.error ? { error: result.error } : {}),
    ...(result.notes?.length ? { notes: result.notes } : {}),
    ...(result.unpublished?.length ? { unpublished: result.unpublished } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
