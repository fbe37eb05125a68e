import { z } from 'zod';
import type { Candidate } from '../domain/provider-result.js';
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
 * runner-up when the item's length picks the best one: the best is within this many minutes…
 */
export const EDITION_MAX_MINUTES_OFF = 1.5;
/** …and the other edition is at least this many minutes further off… */
export const EDITION_MINUTES_CLOSER = 1.5;
/** …or at least this much further off relatively (a 6-minute story against a 7-minute one). */
export const EDITION_RELATIVE_CLOSER = 0.04;

/**
 * The runner-up confidence of one provider's candidates (best first): the best score of a
 * candidate that could be the item instead of the first. Every other candidate counts, other
 * editions of the same work included, unless something the item carries tells that edition
 * apart from the first (`editionRuledOut`). Editions nothing tells apart stay runner-ups, so the
 * decision sends them to review with all of them as candidates.
 */
export function runnerUpScore(candidates: readonly Candidate[]): number {
  const [best, ...rest] = candidates;
  if (!best) return 0;
  let runnerUp = 0;
  for (const c of rest) {
    if (!sameWork(best, c) || !editionRuledOut(best, c)) runnerUp = Math.max(runnerUp, c.score);
  }
  return runnerUp;
}

/**
 * Why the item is `best` rather than `other`, another edition of the same work, or undefined when
 * nothing it carries tells them apart. Each signal must agree with `best` and disagree with
 * `other`: length (minutes or relative), narrator, publication year, language — and no signal
 * (the library's language included) may favour `other`.
 */
export function editionRuledOut(best: Candidate, other: Candidate): string | undefined {
  // Signals that point the other way keep the other edition in the running: a length a few
  // minutes closer does not outweigh the library's language or an agreeing narrator.
  if (favours(other, best, false)) return undefined;
  if (lengthPicksFirst(best, other)) return 'length';
  return favours(best, other, true);
}

/**
 * The signal (narrator, year, language) that agrees with `a` and disagrees with `b`, if any.
 * When `rulingOut` `b`, two signals count less: the library's language only orders editions (it
 * can keep one in the running, never rule one out), and a year rules `b` out only when `b` is
 * earlier than the item's — an item's year earlier than the recording's is often the print
 * edition's (as in the score).
 */
function favours(a: Candidate, b: Candidate, rulingOut: boolean): string | undefined {
  const narrator = (c: Candidate) => numberOf(c, 'narrator');
  if ((narrator(a) ?? 0) >= 0.85 && (narrator(b) ?? 1) < 0.6) return 'narrator';
  const yearOff = /^(\d{4}) ≠ (\d{4})$/.exec(String(b.explanation.year ?? ''));
  if (a.explanation.year === 'same' && yearOff && (!rulingOut || Number(yearOff[1]) < Number(yearOff[2])))
    return 'year';
  const language = (c: Candidate) => String(c.explanation.language ?? '');
  const itemLanguageDiffers = (c: Candidate) => /≠ (?!library)/.test(language(c));
  if (!itemLanguageDiffers(a) && itemLanguageDiffers(b)) return 'language';
  if (!rulingOut && !language(a).includes('≠') && /≠ library/.test(language(b))) return 'library language';
  return undefined;
}

function numberOf(c: Candidate, key: string): number | undefined {
  const v = c.explanation[key];
  return typeof v === 'number' ? v : undefined;
}

function lengthPicksFirst(best: Candidate, other: Candidate): boolean {
  const a = numberOf(best, 'duration_minutes_off');
  const b = numberOf(other, 'duration_minutes_off');
  if (a === undefined || b === undefined || a > EDITION_MAX_MINUTES_OFF) return false;
  if (b - a >= EDITION_MINUTES_CLOSER - 1e-9) return true;
  const ra = numberOf(best, 'duration_relative_off');
  const rb = numberOf(other, 'duration_relative_off');
  return ra !== undefined && rb !== undefined && rb - ra >= EDITION_RELATIVE_CLOSER - 1e-9;
}

/** Same normalised title and subtitle, and the same set of authors on both sides. */
export function sameWork(a: Candidate, b: Candidate): boolean {
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
