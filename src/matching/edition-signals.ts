import type { LookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import { cleanSequence, foldText, normalizeLanguage } from './normalize.js';
import { roundScore as round, SCORE_WEIGHTS } from './score-weights.js';
import { peopleAgreement, stringSimilarity } from './similarity.js';
import { parseSeriesShaped } from './variants.js';

/*
 * The signals that tell one edition of a work from another — length, narrator, series position,
 * language, year — each writing its reason into the candidate's explanation (score.ts combines them).
 */

/**
 * ABS's duration curve (BookFinder.calculateMatchConfidence), d in minutes:
 * ≤1 → 1, ≤5 → 1.1−0.1d, ≤10 → 1.2−0.12d, else 0.
 */
export function durationCurve(itemSeconds: number, candidateSeconds: number): number {
  const d = Math.abs(itemSeconds - candidateSeconds) / 60;
  if (d <= 1) return 1;
  if (d <= 5) return 1.1 - 0.1 * d;
  if (d <= 10) return 1.2 - 0.12 * d;
  return 0;
}

/**
 * How far a candidate's length is from the item's: minutes, and the relative difference after a
 * store's rounding to whole minutes (a candidate given in whole minutes may be 30 s off by itself).
 * Exported so the runner-up rule compares editions on the same measure.
 */
export function lengthOff(
  itemSeconds: number,
  candidateSeconds: number,
): { minutes: number; relative: number } {
  const seconds = Math.abs(itemSeconds - candidateSeconds);
  const slack = Number.isInteger(candidateSeconds / 60) ? 30 : 0;
  return { minutes: seconds / 60, relative: Math.max(0, seconds - slack) / Math.max(1, itemSeconds) };
}

export function durationSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  core: number,
  explanation: Record<string, number | string>,
): number {
  if (!ctx.durationSeconds || !cand.durationSeconds) {
    explanation.duration = 'unknown';
    // Unknown length neither proves nor disproves; half the bonus (ABS gives 0.1 of 1 for it).
    return core >= SCORE_WEIGHTS.durationGate ? SCORE_WEIGHTS.durationBonus / 2 : 0;
  }
  const off = lengthOff(ctx.durationSeconds, cand.durationSeconds);
  explanation.duration = round(durationCurve(ctx.durationSeconds, cand.durationSeconds));
  explanation.duration_minutes_off = round(off.minutes);
  explanation.duration_relative_off = round(off.relative);
  // A clearly different length is a different edition or book whatever the title says: 10 minutes
  // and 5 % for long books, a quarter of the length for short ones (61 s is not a 30 s edition).
  const W = SCORE_WEIGHTS;
  if ((off.minutes > 10 && off.relative > 0.05) || off.relative > W.durationRelativePenalty)
    return -W.durationPenalty;
  if (core < W.durationGate) {
    explanation.duration_gate = 'closed: title/author do not agree enough';
    return 0;
  }
  // Steeper than ABS's curve: editions of one work often differ by only a few minutes; and
  // relative, so a minute decides between editions of a six-minute story.
  const byMinutes = 1 - (off.minutes - 1) / (W.durationZeroAtMinutes - 1);
  const byShare =
    1 - (off.relative - W.durationRelativeFull) / (W.durationRelativeZero - W.durationRelativeFull);
  const closeness = Math.max(0, Math.min(1, byMinutes, byShare));
  explanation.duration_closeness = round(closeness);
  return W.durationBonus * closeness;
}

export function narratorSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): number {
  const agree = peopleAgreement(ctx.narrators, cand.narrators ?? []);
  if (!agree) {
    explanation.narrator = 'unknown';
    return 0;
  }
  explanation.narrator = round(agree.score);
  if (agree.score >= 0.85) return 1;
  return agree.score < 0.6 ? -SCORE_WEIGHTS.narratorPenalty : 0;
}

/** Series position: a known, different number in the same series is a different book. */
export function seriesSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): number {
  const ctxSeries = ctx.series.length
    ? ctx.series
    : (() => {
        const shaped = ctx.title ? parseSeriesShaped(ctx.title) : undefined;
        return shaped ? [{ name: shaped.series, sequence: shaped.sequence }] : [];
      })();
  const candSeries = cand.series ?? [];
  if (!ctxSeries.length || !candSeries.length) return 0;
  for (const s of ctxSeries) {
    const match = candSeries.find((c) => stringSimilarity(foldText(c.name), foldText(s.name)) >= 0.85);
    if (!match) continue;
    const a = cleanSequence(s.sequence);
    const b = cleanSequence(match.sequence);
    if (a && b && a !== b) {
      explanation.series = `sequence ${b} ≠ ${a}`;
      return -SCORE_WEIGHTS.sequencePenalty;
    }
    explanation.series = a && b ? 'same series and position' : 'same series';
    return 1;
  }
  explanation.series = 'no common series';
  return 0;
}

/**
 * The item's language, when known, must match (0.3 off otherwise). When it is not known, the
 * library's language (`ctx.libraryLanguage`) is preferred: a translated edition costs 0.1, so
 * the library's own edition wins a tie (ABS #5346) without hiding a translation that is alone.
 */
export function languageSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): number {
  const a = normalizeLanguage(ctx.language);
  const b = normalizeLanguage(cand.language);
  if (!b) return 0;
  if (a) {
    if (a === b) return 0;
    explanation.language = `${b} ≠ ${a}`;
    return SCORE_WEIGHTS.languagePenalty;
  }
  const library = normalizeLanguage(ctx.libraryLanguage);
  if (!library || library === b) return 0;
  explanation.language = `${b} ≠ library ${library}`;
  return SCORE_WEIGHTS.libraryLanguagePenalty;
}

/**
 * Publication year: equal agrees; more than a year apart is likely another edition — clearly so
 * when the item's year is later than the recording's, less when earlier (a print year).
 */
export function yearSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): number {
  const a = yearOf(ctx.publishedYear);
  const b = yearOf(cand.publishedYear ?? cand.publishedDate);
  if (a === undefined || b === undefined) return 0;
  if (a === b) {
    explanation.year = 'same';
    return 1;
  }
  if (Math.abs(a - b) <= SCORE_WEIGHTS.yearTolerance) {
    explanation.year = `${b} ≈ ${a}`;
    return 0;
  }
  explanation.year = `${b} ≠ ${a}`;
  return a < b ? -SCORE_WEIGHTS.earlierYearPenalty : -SCORE_WEIGHTS.yearPenalty;
}

function yearOf(value: string | undefined): number | undefined {
  const m = value ? /\b(1[5-9]\d\d|20\d\d)\b/.exec(value) : null;
  return m?.[1] ? Number(m[1]) : undefined;
}
