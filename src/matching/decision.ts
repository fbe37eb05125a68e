import { z } from 'zod';
import type { Candidate } from '../providers/types.js';
import { normalizeTitle, splitAuthors } from './normalize.js';
import { peopleAgreement } from './similarity.js';

/** Where a result's confidence puts it. */
export type Decision = 'apply' | 'review' | 'reject';

export const DecisionThresholdsSchema = z.object({
  /**
   * Confidence at or above which a match may be applied without a person. Tuned on the tuning
   * half of `npm run bench matching` (docs/matching.md). @default 0.87
   */
  apply: z.number().min(0).max(1).default(0.87),
  /** Confidence at or above which a match goes to review; below is rejected. @default 0.6 */
  review: z.number().min(0).max(1).default(0.6),
  /**
   * The winner must lead the runner-up (a different book) by at least this much to apply; editions
   * of one work told apart only by length are a few hundredths apart. @default 0.05
   */
  minGap: z.number().min(0).max(1).default(0.05),
});
export type DecisionThresholds = z.infer<typeof DecisionThresholdsSchema>;
export const DEFAULT_THRESHOLDS: DecisionThresholds = DecisionThresholdsSchema.parse({});

export interface DecisionInput {
  confidence: number;
  runnerUpConfidence: number;
  /** False when nothing was found at all. */
  found: boolean;
}

export interface DecisionOutcome {
  decision: Decision;
  reason: string;
}

/** Three bands, as beets does: strong and clearly ahead → apply; plausible → review; else reject. */
export function decide(
  input: DecisionInput,
  thresholds: DecisionThresholds = DEFAULT_THRESHOLDS,
): DecisionOutcome {
  const { confidence, runnerUpConfidence } = input;
  if (!input.found) return { decision: 'reject', reason: 'no provider found the book' };
  const gap = confidence - runnerUpConfidence;
  if (confidence >= thresholds.apply && gap >= thresholds.minGap) {
    return {
      decision: 'apply',
      reason: `confidence ${fmt(confidence)} ≥ ${fmt(thresholds.apply)}, lead ${fmt(gap)}`,
    };
  }
  if (confidence >= thresholds.apply) {
    return {
      decision: 'review',
      reason: `runner-up too close (lead ${fmt(gap)} < ${fmt(thresholds.minGap)})`,
    };
  }
  if (confidence >= thresholds.review) {
    return { decision: 'review', reason: `confidence ${fmt(confidence)} below ${fmt(thresholds.apply)}` };
  }
  return { decision: 'reject', reason: `confidence ${fmt(confidence)} below ${fmt(thresholds.review)}` };
}

function fmt(n: number): string {
  return n.toFixed(2);
}

/**
 * Another edition of the same work (same title and subtitle, same authors) is set aside as the
 * runner-up when the best candidate is within this many minutes of the item's length…
 */
export const EDITION_MAX_MINUTES_OFF = 1.5;
/** …and the other edition is at least this many minutes further off. */
export const EDITION_MINUTES_CLOSER = 1;

/**
 * The runner-up confidence of one provider's candidates (best first): the best score of a
 * candidate that could be the item instead of the first. Another edition of the same work counts
 * like a different book — unless the item's measured length clearly picks the first edition
 * (within `EDITION_MAX_MINUTES_OFF` and `EDITION_MINUTES_CLOSER` closer than the other). Editions
 * of equal length, or of unknown length, stay runner-ups, so the decision still sends them to
 * review.
 */
export function runnerUpScore(candidates: readonly Candidate[]): number {
  const [best, ...rest] = candidates;
  if (!best) return 0;
  let runnerUp = 0;
  for (const c of rest) {
    if (!lengthPicksFirst(best, c) || !sameWork(best, c)) runnerUp = Math.max(runnerUp, c.score);
  }
  return runnerUp;
}

function minutesOff(c: Candidate): number | undefined {
  const off = c.explanation.duration_minutes_off;
  return typeof off === 'number' ? off : undefined;
}

function lengthPicksFirst(best: Candidate, other: Candidate): boolean {
  const a = minutesOff(best);
  const b = minutesOff(other);
  return (
    a !== undefined &&
    b !== undefined &&
    a <= EDITION_MAX_MINUTES_OFF &&
    b - a >= EDITION_MINUTES_CLOSER - 1e-9
  );
}

/** Same normalised title and subtitle, and the same set of authors on both sides. */
function sameWork(a: Candidate, b: Candidate): boolean {
  const title = (c: Candidate) =>
    normalizeTitle([c.title ?? c.fields?.title, c.fields?.subtitle].filter(Boolean).join(': '));
  const authors = (c: Candidate) => c.authors ?? c.fields?.authors?.map((x) => x.name) ?? [];
  const ta = title(a);
  if (!ta || ta !== title(b)) return false;
  const [x, y] = [splitAuthors(authors(a)), splitAuthors(authors(b))];
  const ab = peopleAgreement(x, y);
  const ba = peopleAgreement(y, x);
  return Boolean(ab && ba && ab.matched === x.length && ba.matched === y.length);
}
