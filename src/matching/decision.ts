import { z } from 'zod';

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
