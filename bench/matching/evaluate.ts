/**
 * Runs the matcher and the two baseline rules over the same cases and counts outcomes.
 * The matcher is the real pipeline: Aggregator → provider (search + rankCandidates) → decide().
 */
import PQueue from 'p-queue';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { EventBus } from '../../src/events/bus.js';
import { type DecisionThresholds, decide } from '../../src/matching/decision.js';
import { searchQueries } from '../../src/matching/queries.js';
import type { LookupContext } from '../../src/providers/types.js';
import type { BenchCase } from './contexts.js';
import { createBenchAudible, getJson, searchMock } from './provider.js';

export interface Tally {
  cases: number;
  present: number;
  absent: number;
  appliedCorrect: number;
  appliedWrong: number;
  /** Applied on a book that is not in the catalogue. */
  appliedAbsent: number;
  review: number;
  reject: number;
  /** Books in the catalogue whose record has an indistinguishable twin, and how many were applied right. */
  presentTwins: number;
  appliedCorrectTwins: number;
}

/** The figures the issue asks for, from a tally. */
export function figures(t: Tally) {
  const applied = t.appliedCorrect + t.appliedWrong + t.appliedAbsent;
  const pct = (n: number, d: number) => (d ? Math.round((10000 * n) / d) / 100 : 0);
  return {
    precisionPct: pct(t.appliedCorrect, applied),
    coveragePct: pct(t.appliedCorrect, t.present),
    coverageWithoutTwinsPct: pct(t.appliedCorrect - t.appliedCorrectTwins, t.present - t.presentTwins),
    falsePositivePct: pct(t.appliedAbsent, t.absent),
    reviewPct: pct(t.review, t.cases),
    wrongAppliedOnPresent: t.appliedWrong,
    appliedOnAbsent: t.appliedAbsent,
    applied,
  };
}

function emptyTally(cases: BenchCase[]): Tally {
  const absent = cases.filter((c) => c.expected === null).length;
  return {
    cases: cases.length,
    present: cases.length - absent,
    absent,
    appliedCorrect: 0,
    appliedWrong: 0,
    appliedAbsent: 0,
    review: 0,
    reject: 0,
    presentTwins: cases.filter((c) => c.expected !== null && c.twin).length,
    appliedCorrectTwins: 0,
  };
}

/** Counts one outcome; `picked` is the applied ASIN (undefined when not applied). */
function count(t: Tally, c: BenchCase, decision: 'apply' | 'review' | 'reject', picked?: string): void {
  if (decision === 'review') t.review++;
  else if (decision === 'reject') t.reject++;
  else if (c.expected === null) t.appliedAbsent++;
  else if (picked === c.expected) {
    t.appliedCorrect++;
    if (c.twin) t.appliedCorrectTwins++;
  } else t.appliedWrong++;
}

export interface MatcherRun {
  tally: Tally;
  /** Per noise kind: [cases, applied correctly, applied wrongly]. */
  byNoise: Record<string, [number, number, number]>;
  mistakes: { ctx: LookupContext; expected: string | null; picked?: string; explanation?: unknown }[];
  /** Books in the catalogue that were not applied: why, and whether the top candidate was right. */
  missed: Record<string, number>;
  missedExamples: unknown[];
  /** Raw outcome per case, to sweep thresholds without re-running the searches. */
  outcomes: {
    expected: string | null;
    picked?: string;
    confidence: number;
    runnerUp: number;
    found: boolean;
    twin: boolean;
  }[];
}

export async function runMatcher(
  base: string,
  cases: BenchCase[],
  thresholds: DecisionThresholds & { minMatchConfidence: number },
): Promise<MatcherRun> {
  const aggregator = new Aggregator({
    providers: [createBenchAudible(base)],
    events: new EventBus(),
    minMatchConfidence: thresholds.minMatchConfidence,
    strict: true,
  });
  const tally = emptyTally(cases);
  const byNoise: MatcherRun['byNoise'] = {};
  const mistakes: MatcherRun['mistakes'] = [];
  const missed: Record<string, number> = {};
  const missedExamples: unknown[] = [];
  const outcomes: MatcherRun['outcomes'] = [];
  const queue = new PQueue({ concurrency: 8 });
  await queue.addAll(
    cases.map((c) => async () => {
      const result = await aggregator.aggregate(c.ctx);
      const found = result.providers.some((p) => p.status === 'found');
      const { decision, reason } = decide(
        { confidence: result.confidence, runnerUpConfidence: result.runnerUpConfidence, found },
        thresholds,
      );
      const picked = result.metadata.asin;
      outcomes.push({
        expected: c.expected,
        ...(picked ? { picked } : {}),
        confidence: result.confidence,
        runnerUp: result.runnerUpConfidence,
        found,
        twin: Boolean(c.twin),
      });
      count(tally, c, decision, picked);
      const ok = decision === 'apply' && picked === c.expected;
      const wrong = decision === 'apply' && picked !== c.expected;
      if (c.expected !== null && decision !== 'apply') {
        const top = result.candidates[0];
        const key = `${decision} ${reason.split(' ')[0]} top=${top?.id === c.expected ? 'right' : top ? 'wrong' : 'none'} conf=${Math.floor(result.confidence * 10) / 10}`;
        missed[key] = (missed[key] ?? 0) + 1;
        if (top?.id === c.expected && missedExamples.length < 40)
          missedExamples.push({ ctx: c.ctx, noise: c.noise, reason, top: result.candidates.slice(0, 2) });
      }
      if (c.expected === null) return;
      for (const n of c.noise.length ? c.noise : ['clean']) {
        const row = byNoise[n] ?? [0, 0, 0];
        byNoise[n] = row;
        row[0]++;
        if (ok) row[1]++;
        if (wrong) row[2]++;
      }
      if (wrong)
        mistakes.push({
          ctx: c.ctx,
          expected: c.expected,
          ...(picked ? { picked } : {}),
          explanation: result.candidates.slice(0, 3),
        });
    }),
  );
  return { tally, byNoise, mistakes, missed, missedExamples, outcomes };
}

/** Sends the same query forms in turn until one returns anything (ABS's fuzzy retries). */
async function firstNonEmpty(base: string, ctx: LookupContext) {
  for (const q of searchQueries(ctx)) {
    const products = await searchMock(base, q.keywords);
    if (products.length) return products;
  }
  return [];
}

/** "Take the first search result" and ABS Quick Match (ASIN, else closest duration first). */
export async function runBaselines(
  base: string,
  cases: BenchCase[],
): Promise<{ first: Tally; quickMatch: Tally }> {
  const first = emptyTally(cases);
  const quickMatch = emptyTally(cases);
  const queue = new PQueue({ concurrency: 8 });
  await queue.addAll(
    cases.map((c) => async () => {
      const products = await firstNonEmpty(base, c.ctx);
      count(first, c, products[0] ? 'apply' : 'reject', products[0]?.asin);
      if (c.ctx.asin) {
        const { product } = await getJson<{ product: { asin: string; title?: string } }>(
          base,
          `/1.0/catalog/products/${c.ctx.asin}`,
        );
        if (product.title) return count(quickMatch, c, 'apply', product.asin);
      }
      const d = c.ctx.durationSeconds;
      const sorted =
        d === undefined
          ? products
          : [...products].sort(
              (a, b) =>
                Math.abs((a.runtime_length_min ?? 0) * 60 - d) -
                Math.abs((b.runtime_length_min ?? 0) * 60 - d),
            );
      count(quickMatch, c, sorted[0] ? 'apply' : 'reject', sorted[0]?.asin);
    }),
  );
  return { first, quickMatch };
}

/** Figures for each (apply, minGap) pair over recorded outcomes: how the thresholds were tuned. */
export function sweep(run: MatcherRun, base: DecisionThresholds): Record<string, ReturnType<typeof figures>> {
  const out: Record<string, ReturnType<typeof figures>> = {};
  for (const apply of [0.85, 0.87, 0.88, 0.9, 0.92, 0.95]) {
    for (const minGap of [0.02, 0.03, 0.05, 0.07, 0.1]) {
      const t: Tally = {
        ...run.tally,
        appliedCorrect: 0,
        appliedWrong: 0,
        appliedAbsent: 0,
        review: 0,
        reject: 0,
        appliedCorrectTwins: 0,
      };
      for (const o of run.outcomes) {
        const { decision } = decide(
          { confidence: o.confidence, runnerUpConfidence: o.runnerUp, found: o.found },
          { ...base, apply, minGap },
        );
        const c = { ctx: {} as LookupContext, expected: o.expected, noise: [], twin: o.twin };
        count(t, c, decision, o.picked);
      }
      out[`apply ${apply} gap ${minGap}`] = figures(t);
    }
  }
  return out;
}
