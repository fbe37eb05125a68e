/**
 * Matching quality benchmark (`npm run bench matching`). Serves a real-derived Audible catalogue
 * from a local mock with imperfect ranking that answers with its top 10 only, generates messy
 * library lookups in slices (slices.ts), and compares the matcher (Aggregator with an
 * Audible-shaped search, a work-level search and an Audnexus-shaped follow-up + decide()) with
 * "first search result" and ABS Quick Match. Reports per-slice precision, coverage and false
 * positives, and a calibration table per confidence band.
 *
 * Split: books are assigned to a tuning or an evaluation half by a hash of title and first
 * author, and each half has its own seed. The default run reports the evaluation half;
 * `MATCH_BENCH_SPLIT=tune npm run bench matching` runs the tuning half (the one weights and
 * thresholds were adjusted on); `MATCH_BENCH_SWEEP=1` adds a threshold sweep,
 * `MATCH_BENCH_VERBOSE=1` lists wrong applies.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../src/config/schema.js';
import {
  bySlice,
  calibration,
  type Figures,
  figures,
  type Outcome,
  runBaselines,
  runMatcher,
  sweep,
} from './matching/evaluate.js';
import { startMockAudible } from './matching/mock-audible.js';
import { hashUnit, mulberry32 } from './matching/rng.js';
import { buildCases } from './matching/slices.js';
import { markIndistinguishableTwins } from './matching/twins.js';
import type { CatalogueFile, CatalogueRecord } from './matching/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SPLITS = { tune: { seed: 11, half: 0 }, eval: { seed: 29, half: 1 } } as const;

function load(file: string): CatalogueRecord[] {
  return (JSON.parse(readFileSync(path.join(here, 'matching', 'catalogue', file), 'utf8')) as CatalogueFile)
    .records;
}

function inHalf(r: CatalogueRecord, half: number): boolean {
  return (hashUnit(`${r.title}|${r.authors[0]}`) < 0.5 ? 0 : 1) === half;
}

export default async function matchingBench(): Promise<Record<string, unknown>> {
  const splitName = process.env.MATCH_BENCH_SPLIT === 'tune' ? 'tune' : 'eval';
  const split = SPLITS[splitName];
  const catalogue = load('catalogue.json');
  const absent = load('absent.json');
  const cases = buildCases(
    catalogue.filter((r) => inHalf(r, split.half)),
    absent.filter((r) => inHalf(r, split.half)),
    mulberry32(split.seed),
  );
  markIndistinguishableTwins(catalogue, cases);
  const thresholds = ConfigSchema.parse({}).matching;
  const mock = await startMockAudible(catalogue);
  const started = performance.now();
  try {
    const matcher = await runMatcher(mock.url, cases, thresholds);
    const matcherMs = performance.now() - started;
    const { first, quickMatch } = await runBaselines(mock.url, cases);
    const slices = bySlice(matcher.outcomes);
    const report = {
      split: splitName,
      catalogue: catalogue.length,
      cases: cases.length,
      casesWithTwin: Object.fromEntries(
        [...new Set(cases.map((c) => c.slice ?? 'ordinary'))].map((s) => [
          s,
          cases.filter((c) => c.twin && c.slice === s).length,
        ]),
      ),
      thresholds,
      matcher: slices,
      firstResult: bySlice(first),
      absQuickMatch: bySlice(quickMatch),
      calibration: calibration(matcher.outcomes, thresholds.apply),
      matcherSeconds: Math.round(matcherMs / 100) / 10,
      mockRequests: mock.requests(),
      targets: targets(
        slices,
        bySlice(first),
        bySlice(quickMatch),
        calibration(matcher.outcomes, thresholds.apply),
        thresholds.apply,
        {
          matcher: coverageWithoutTitleOnly(matcher.outcomes),
          baseline: Math.max(coverageWithoutTitleOnly(first), coverageWithoutTitleOnly(quickMatch)),
        },
      ),
    };
    if (process.env.MATCH_BENCH_SWEEP) console.table(sweep(matcher.outcomes, thresholds));
    printReport(report, matcher.mistakes);
    if (process.env.MATCH_BENCH_MISSED) {
      const only = matcher.missed.filter((m) => m.slice === process.env.MATCH_BENCH_MISSED);
      console.log(`${only.length} missed`, JSON.stringify(only.slice(0, 40), null, 1));
    }
    return report;
  } finally {
    await new Promise((r) => mock.server.close(r));
  }
}

/** The acceptance figures, each with its value and whether it is met. */
function targets(
  m: Record<string, Figures>,
  first: Record<string, Figures>,
  quick: Record<string, Figures>,
  bands: Record<string, Record<string, number>>,
  apply: number,
  withoutTitleOnly: { matcher: number; baseline: number },
) {
  const big = Object.entries(m).filter(([s, f]) => s !== 'all' && f.lookups > 50 && f.applied > 0);
  const worst = Math.min(...big.map(([, f]) => f.precisionPct));
  const absentLike = Object.entries(m).filter(([s]) =>
    ['absent', 'invented-title', 'invented-author'].includes(s),
  );
  const fp = Math.max(...absentLike.map(([, f]) => f.falsePositivePct));
  const highBands = Object.entries(bands).filter(([k]) => Number(k.split('–')[0]) >= apply - 1e-9);
  const worstBand = Math.min(...highBands.map(([, b]) => b.appliedRightPct ?? 100));
  const cov = m.all?.coverageDistinguishablePct ?? 0;
  const baseline = Math.max(
    first.all?.coverageDistinguishablePct ?? 0,
    quick.all?.coverageDistinguishablePct ?? 0,
  );
  return {
    worstSlicePrecisionPct: { value: worst, met: worst >= 99.5 },
    worstFalsePositivePct: { value: fp, met: fp <= 0.5 },
    worstBandAtOrAboveApplyPct: { value: worstBand, met: worstBand >= 99.5 },
    coverageDistinguishableVsBaselinePct: { value: cov, baseline, met: cov >= baseline },
    // Title-only lookups never apply by rule (a title names a work, not an edition): the same
    // comparison without them.
    coverageDistinguishableWithoutTitleOnlyPct: {
      value: withoutTitleOnly.matcher,
      baseline: withoutTitleOnly.baseline,
      met: withoutTitleOnly.matcher >= withoutTitleOnly.baseline,
    },
  };
}

function coverageWithoutTitleOnly(outcomes: readonly Outcome[]): number {
  return figures(outcomes.filter((o) => o.slice !== 'title-only')).coverageDistinguishablePct;
}

function printReport(report: Record<string, unknown>, mistakes: unknown[]): void {
  console.log(`split ${report.split}: ${report.cases} lookups over a catalogue of ${report.catalogue}`);
  console.log('matcher, per slice');
  console.table(report.matcher);
  console.log('first search result, per slice');
  console.table(report.firstResult);
  console.log('ABS Quick Match, per slice');
  console.table(report.absQuickMatch);
  console.log('calibration (matcher)');
  console.table(report.calibration);
  console.log('targets', JSON.stringify(report.targets, null, 1));
  if (process.env.MATCH_BENCH_VERBOSE) console.log(JSON.stringify(mistakes.slice(0, 20), null, 1));
  else console.log(`${mistakes.length} wrong applies (MATCH_BENCH_VERBOSE=1 to list them)`);
}
