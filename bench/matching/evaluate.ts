/**
 * Runs the matcher and the two baseline rules over the same cases and counts outcomes per slice,
 * plus a calibration table (per confidence band: decisions, and how many were right).
 * The matcher is the real pipeline: Aggregator → bench providers (an Audible-shaped search, a
 * work-level search, an Audnexus-shaped identifier lookup) → decide().
 */
import PQueue from 'p-queue';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import type { LookupContext } from '../../src/domain/lookup.js';
import { EventBus } from '../../src/events/bus.js';
import { type Decision, type DecisionThresholds, decide } from '../../src/matching/decision.js';
import { searchQueries } from '../../src/matching/queries.js';
import type { BenchCase } from './contexts.js';
import {
  createBenchAudible,
  createBenchAudnexus,
  createBenchWorks,
  getJson,
  searchMock,
} from './provider.js';

/** One lookup's outcome: enough to count it under any thresholds. */
export interface Outcome {
  slice: string;
  expected: string | null;
  picked?: string;
  confidence: number;
  runnerUp: number;
  found: boolean;
  twin: boolean;
  decision: Decision;
}

export interface Figures {
  lookups: number;
  /** Right book applied / books applied. */
  precisionPct: number;
  /** Right book applied / lookups whose book is in the catalogue. */
  coveragePct: number;
  /** The same over books with no indistinguishable twin. */
  coverageDistinguishablePct: number;
  /** Applied / lookups whose book is not in the catalogue. */
  falsePositivePct: number;
  reviewPct: number;
  applied: number;
  wrong: number;
  /** Lookups whose book is in the catalogue and has no indistinguishable twin. */
  distinguishable: number;
}

const pct = (n: number, d: number) => (d ? Math.round((10000 * n) / d) / 100 : 0);

/** The figures the issue asks for, over some outcomes. */
export function figures(outcomes: readonly Outcome[]): Figures {
  const present = outcomes.filter((o) => o.expected !== null);
  const distinguishable = present.filter((o) => !o.twin);
  const applied = outcomes.filter((o) => o.decision === 'apply');
  const right = (o: Outcome) => o.decision === 'apply' && o.picked === o.expected && o.expected !== null;
  const absent = outcomes.filter((o) => o.expected === null);
  return {
    lookups: outcomes.length,
    precisionPct: applied.length ? pct(applied.filter(right).length, applied.length) : 100,
    coveragePct: pct(present.filter(right).length, present.length),
    coverageDistinguishablePct: pct(distinguishable.filter(right).length, distinguishable.length),
    falsePositivePct: pct(absent.filter((o) => o.decision === 'apply').length, absent.length),
    reviewPct: pct(outcomes.filter((o) => o.decision === 'review').length, outcomes.length),
    applied: applied.length,
    wrong: applied.filter((o) => !right(o)).length,
    distinguishable: distinguishable.length,
  };
}

/** Figures per slice, then for everything. */
export function bySlice(outcomes: readonly Outcome[]): Record<string, Figures> {
  const slices = [...new Set(outcomes.map((o) => o.slice))];
  return {
    ...Object.fromEntries(slices.map((s) => [s, figures(outcomes.filter((o) => o.slice === s))])),
    all: figures(outcomes),
  };
}

/** Per confidence band: how many lookups, what was decided, and how many picks were right. */
export function calibration(outcomes: readonly Outcome[], apply: number) {
  const edges = [0, 0.5, 0.6, 0.7, 0.8, apply, 0.9, 0.95, 0.99, 1.0001];
  const rows: Record<string, Record<string, number>> = {};
  for (let i = 0; i < edges.length - 1; i++) {
    const lo = edges[i] ?? 0;
    const hi = edges[i + 1] ?? 1;
    const band = outcomes.filter((o) => o.confidence >= lo && o.confidence < hi);
    if (!band.length) continue;
    const right = (o: Outcome) => o.expected !== null && o.picked === o.expected;
    const applied = band.filter((o) => o.decision === 'apply');
    rows[`${lo.toFixed(2)}–${Math.min(1, hi).toFixed(2)}`] = {
      lookups: band.length,
      apply: applied.length,
      review: band.filter((o) => o.decision === 'review').length,
      reject: band.filter((o) => o.decision === 'reject').length,
      pickRight: band.filter(right).length,
      pickRightPct: pct(band.filter(right).length, band.length),
      appliedRight: applied.filter(right).length,
      appliedRightPct: applied.length ? pct(applied.filter(right).length, applied.length) : 100,
    };
  }
  return rows;
}

export interface MatcherRun {
  outcomes: Outcome[];
  mistakes: { slice: string; ctx: LookupContext; expected: string | null; picked?: string; top: unknown }[];
  /** Books that can be told apart and were not applied, though the best candidate was right. */
  missed: {
    slice: string;
    ctx: LookupContext;
    confidence: number;
    runnerUp: number;
    top: unknown;
    expected: string;
    found: boolean;
  }[];
}

export async function runMatcher(
  base: string,
  cases: BenchCase[],
  thresholds: DecisionThresholds & { minMatchConfidence: number },
): Promise<MatcherRun> {
  const aggregator = new Aggregator({
    providers: [createBenchAudible(base), createBenchWorks(base), createBenchAudnexus(base)],
    events: new EventBus(),
    minMatchConfidence: thresholds.minMatchConfidence,
    strict: true,
  });
  const outcomes: Outcome[] = [];
  const mistakes: MatcherRun['mistakes'] = [];
  const missed: MatcherRun['missed'] = [];
  const queue = new PQueue({ concurrency: 8 });
  await queue.addAll(
    cases.map((c) => async () => {
      const result = await aggregator.aggregate(c.ctx);
      const found = result.providers.some((p) => p.status === 'found');
      const { decision } = decide(
        { confidence: result.confidence, runnerUpConfidence: result.runnerUpConfidence, found },
        thresholds,
      );
      const picked = result.metadata.asin;
      const outcome: Outcome = {
        slice: c.slice ?? 'ordinary',
        expected: c.expected,
        ...(picked ? { picked } : {}),
        confidence: result.confidence,
        runnerUp: result.runnerUpConfidence,
        found,
        twin: Boolean(c.twin),
        decision,
      };
      outcomes.push(outcome);
      if (decision === 'apply' && picked !== c.expected)
        mistakes.push({
          slice: outcome.slice,
          ctx: c.ctx,
          expected: c.expected,
          ...(picked ? { picked } : {}),
          top: result.candidates.slice(0, 3),
        });
      const topRight = result.candidates[0]?.id === c.expected;
      if (decision !== 'apply' && c.expected && !c.twin && topRight === !process.env.MATCH_BENCH_TOP_WRONG)
        missed.push({
          slice: outcome.slice,
          ctx: c.ctx,
          confidence: result.confidence,
          runnerUp: result.runnerUpConfidence,
          top: result.candidates.slice(0, 3).map((x) => ({ ...x, fields: undefined })),
          expected: c.expected,
          found: result.candidates.some((x) => x.id === c.expected),
        });
    }),
  );
  return { outcomes, mistakes, missed };
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
): Promise<{ first: Outcome[]; quickMatch: Outcome[] }> {
  const first: Outcome[] = [];
  const quickMatch: Outcome[] = [];
  const outcome = (c: BenchCase, picked: string | undefined): Outcome => ({
    slice: c.slice ?? 'ordinary',
    expected: c.expected,
    ...(picked ? { picked } : {}),
    confidence: picked ? 1 : 0,
    runnerUp: 0,
    found: Boolean(picked),
    twin: Boolean(c.twin),
    decision: picked ? 'apply' : 'reject',
  });
  const queue = new PQueue({ concurrency: 8 });
  await queue.addAll(
    cases.map((c) => async () => {
      const products = await firstNonEmpty(base, c.ctx);
      first.push(outcome(c, products[0]?.asin));
      if (c.ctx.asin) {
        const { product } = await getJson<{ product: { asin: string; title?: string } }>(
          base,
          `/1.0/catalog/products/${c.ctx.asin}`,
        );
        if (product.title) return void quickMatch.push(outcome(c, product.asin));
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
      quickMatch.push(outcome(c, sorted[0]?.asin));
    }),
  );
  return { first, quickMatch };
}

/** Figures for each (apply, minGap) pair over recorded outcomes: how the thresholds were tuned. */
export function sweep(outcomes: readonly Outcome[], base: DecisionThresholds) {
  const rows: Record<string, Record<string, number>> = {};
  for (const apply of [0.85, 0.87, 0.9, 0.92, 0.95]) {
    for (const minGap of [0.02, 0.05, 0.07, 0.1]) {
      const redecided = outcomes.map((o) => ({
        ...o,
        decision: decide(
          { confidence: o.confidence, runnerUpConfidence: o.runnerUp, found: o.found },
          {
            ...base,
            apply,
            minGap,
          },
        ).decision,
      }));
      const slices = bySlice(redecided);
      const all = slices.all as Figures;
      const worst = Math.min(
        ...Object.values(slices)
          .filter((f) => f.lookups > 50)
          .map((f) => f.precisionPct),
      );
      rows[`apply ${apply} gap ${minGap}`] = {
        precisionPct: all.precisionPct,
        worstSlicePrecisionPct: worst,
        coverageDistinguishablePct: all.coverageDistinguishablePct,
        falsePositivePct: all.falsePositivePct,
        wrong: all.wrong,
      };
    }
  }
  return rows;
}
