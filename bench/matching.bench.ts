/**
 * Matching quality benchmark (`npm run bench matching`). Serves a real-derived Audible catalogue
 * from a local mock with imperfect ranking, generates messy library contexts, and compares the
 * matcher (Aggregator + scoreCandidate + decide) with "first search result" and ABS Quick Match.
 *
 * Split: books are assigned to a tuning or an evaluation half by a hash of their ASIN/title, and
 * each half has its own seed. The default run reports the evaluation half;
 * `MATCH_BENCH_SPLIT=tune npm run bench matching` runs the tuning half (the one thresholds and
 * weights were adjusted on).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../src/config/schema.js';
import { buildCases } from './matching/contexts.js';
import { figures, runBaselines, runMatcher, sweep } from './matching/evaluate.js';
import { startMockAudible } from './matching/mock-audible.js';
import { hashUnit, mulberry32 } from './matching/rng.js';
import { markIndistinguishableTwins } from './matching/twins.js';
import type { CatalogueFile, CatalogueRecord } from './matching/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SPLITS = { tune: { seed: 11, half: 0 }, eval: { seed: 29, half: 1 } } as const;
const COUNTS = { present: 2000, absent: 1000 };

function load(file: string): CatalogueRecord[] {
  return (JSON.parse(readFileSync(path.join(here, 'matching', 'data', file), 'utf8')) as CatalogueFile)
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
    COUNTS,
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
    const report = {
      split: splitName,
      catalogue: catalogue.length,
      cases: cases.length,
      casesWithTwin: cases.filter((c) => c.twin).length,
      thresholds,
      matcher: figures(matcher.tally),
      firstResult: figures(first),
      absQuickMatch: figures(quickMatch),
      matcherSecondsFor3000: Math.round(matcherMs / 100) / 10,
      mockRequests: mock.requests(),
      byNoise: Object.fromEntries(
        Object.entries(matcher.byNoise)
          .sort()
          .map(([k, [n, ok, bad]]) => [
            k,
            { cases: n, appliedCorrectPct: Math.round((1000 * ok) / n) / 10, wrong: bad },
          ]),
      ),
    };
    if (process.env.MATCH_BENCH_SWEEP) console.table(sweep(matcher, thresholds));
    printReport(
      report,
      matcher.mistakes,
      process.env.MATCH_BENCH_VERBOSE === '2' ? matcher.missedExamples : matcher.missed,
    );
    return report;
  } finally {
    await new Promise((r) => mock.server.close(r));
  }
}

function printReport(report: Record<string, unknown>, mistakes: unknown[], missed: unknown): void {
  console.log(`split ${report.split}: ${report.cases} cases over a catalogue of ${report.catalogue}`);
  console.table({
    matcher: report.matcher,
    'first result': report.firstResult,
    'ABS quick match': report.absQuickMatch,
  });
  console.table(report.byNoise);
  if (process.env.MATCH_BENCH_VERBOSE) {
    console.log(JSON.stringify(mistakes.slice(0, 15), null, 1));
    console.log(JSON.stringify(missed, null, 1));
  } else console.log(`${mistakes.length} wrong applies (MATCH_BENCH_VERBOSE=1 to list them)`);
}
