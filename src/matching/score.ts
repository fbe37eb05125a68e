import { normalizeAsin, normalizeIsbn } from '../domain/identifiers.js';
import type { LookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import { cleanSequence, foldText, normalizeLanguage } from './normalize.js';
import { peopleAgreement, stringSimilarity } from './similarity.js';
import { bestTitleMatch, deFolder, namesAuthor, parseSeriesShaped, titleVariants } from './variants.js';

/** A candidate's score and the per-signal reasons, kept in results so people can see why. */
export interface CandidateScore {
  /** 0..1 — how likely the candidate is the item. */
  score: number;
  explanation: Record<string, number | string>;
}

/** Weights of the identity core and the adjustments; exported for docs and tests. */
export const SCORE_WEIGHTS = {
  /** Share of title in the core when both sides name authors (the rest is author). */
  titleWithAuthor: 0.6,
  /** Title alone is never certain: the core is scaled by this when authors are missing. */
  titleOnlyCap: 0.92,
  /** Share of the score the title/author core can reach; the rest is left for duration. */
  core: 0.85,
  /** Core a candidate must reach before duration can count as evidence (the gate). */
  durationGate: 0.8,
  /** Added at a perfect duration (times ABS's curve), once the gate is open. */
  durationBonus: 0.15,
  /** Minutes off at which the duration bonus reaches 0 (linear from 1 minute). */
  durationZeroAtMinutes: 10,
  /** Subtracted when lengths differ by more than 10 minutes and 5 %: another edition or book. */
  durationPenalty: 0.25,
  /** Relative difference (beyond a whole-minute store's rounding) up to which length is exact. */
  durationRelativeFull: 0.02,
  /** Relative difference at which the duration bonus reaches 0. */
  durationRelativeZero: 0.2,
  /** Relative difference beyond which the penalty applies whatever the minutes (short books). */
  durationRelativePenalty: 0.25,
  /** Share of the remaining doubt an agreeing narrator removes. */
  narratorDoubtCut: 0.4,
  narratorPenalty: 0.2,
  /** Share of the remaining doubt an agreeing series (and position) removes. */
  seriesDoubtCut: 0.2,
  sequencePenalty: 0.35,
  languagePenalty: 0.3,
  /** A candidate in another language than the library's (when the item's own is unknown). */
  libraryLanguagePenalty: 0.02,
  /** Share of the remaining doubt an equal publication year removes. */
  yearDoubtCut: 0.2,
  /** Subtracted when the item's year is later than the candidate's by more than `yearTolerance`. */
  yearPenalty: 0.1,
  /**
   * Subtracted when the item's year is earlier: often the print edition's year (ABS and tags
   * carry it), so it says less against the recording.
   */
  earlierYearPenalty: 0.03,
  yearTolerance: 1,
  identifierMismatchPenalty: 0.15,
  /** Duration closeness (0..1) from which the length counts as agreeing. */
  lengthAgrees: 0.5,
  /**
   * Title similarity below which the candidate is another book unless every word of its title is
   * in the item's (noise the readings did not strip: "Rage of Angels 128bps mp3").
   */
  titleAgrees: 0.85,
  /** Only an identifier gives 1; the best non-identifier score stays just below. */
  maxWithoutIdentifier: 0.999,
} as const;

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
 * How likely `candidate` is the book described by `ctx`, 0..1, with a per-signal explanation.
 * An equal ASIN or ISBN is decisive (1). Otherwise title (best of its readings) and authors (as
 * sets) form the core; narrator, series position and language adjust it; duration counts as a
 * strong signal only once title and author already agree, so an unrelated book of the right
 * length never wins (ABS #2517, #4277).
 */
export function scoreCandidate(ctx: LookupContext, candidate: PartialMetadata): CandidateScore {
  const explanation: Record<string, number | string> = {};
  const ids = identifierSignal(ctx, candidate, explanation);
  if (ids === 'equal') return { score: 1, explanation };

  const core = identityCore(ctx, candidate, explanation);
  let score = SCORE_WEIGHTS.core * core;
  score += durationSignal(ctx, candidate, core, explanation);
  // Agreeing extras remove part of the remaining doubt, so they order near-ties without
  // pushing anything past 1; disagreeing ones subtract.
  score = adjust(score, narratorSignal(ctx, candidate, explanation), SCORE_WEIGHTS.narratorDoubtCut);
  score = adjust(score, seriesSignal(ctx, candidate, explanation), SCORE_WEIGHTS.seriesDoubtCut);
  score = adjust(score, yearSignal(ctx, candidate, explanation), SCORE_WEIGHTS.yearDoubtCut);
  score -= languageSignal(ctx, candidate, explanation);
  if (ids === 'differs') {
    score -= SCORE_WEIGHTS.identifierMismatchPenalty;
    explanation.penalty_identifier = -SCORE_WEIGHTS.identifierMismatchPenalty;
  }
  // Title and author name a work; which edition it is takes a length, narrator or year. The
  // confidence rule (src/aggregate/confidence.ts) keeps an unconfirmed edition below apply
  // unless the search showed every edition there is.
  if (!editionEvidence(explanation)) explanation.edition = EDITION_UNCONFIRMED;
  return { score: round(Math.min(SCORE_WEIGHTS.maxWithoutIdentifier, Math.max(0, score))), explanation };
}

/** `explanation.edition` of a candidate nothing edition-specific confirmed. */
export const EDITION_UNCONFIRMED = 'unconfirmed: no agreeing length, narrator or year';

/**
 * Something that tells this edition from another of the same work agrees with the item: the
 * length, or — when the item's length is unknown or agrees too — the narrator or the year. A
 * known length that disagrees outweighs them (a narrator records more than one edition).
 */
function editionEvidence(explanation: Record<string, number | string>): boolean {
  const closeness = explanation.duration_closeness;
  const narrator = explanation.narrator;
  const lengthAgrees = typeof closeness === 'number' && closeness >= SCORE_WEIGHTS.lengthAgrees;
  if (lengthAgrees) return true;
  if (typeof explanation.duration_minutes_off === 'number') return false;
  return (typeof narrator === 'number' && narrator >= 0.85) || explanation.year === 'same';
}

/** `signal` > 0 agrees (cuts doubt by `cut`), < 0 is a penalty, 0 says nothing. */
function adjust(score: number, signal: number, cut: number): number {
  if (signal > 0) return score + Math.max(0, 1 - score) * cut;
  return score + signal;
}

/** Scores and sorts candidates, best first; ties keep the provider's order. */
export function rankCandidates<T extends PartialMetadata>(
  ctx: LookupContext,
  candidates: readonly T[],
): (CandidateScore & { candidate: T; index: number })[] {
  return candidates
    .map((candidate, index) => ({ candidate, index, ...scoreCandidate(ctx, candidate) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

function identifierSignal(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): 'equal' | 'differs' | 'unknown' {
  const pairs: [string, string | undefined, string | undefined][] = [
    ['asin', normalizeAsin(ctx.asin), normalizeAsin(cand.asin)],
    ['isbn', normalizeIsbn(ctx.isbn), normalizeIsbn(cand.isbn)],
  ];
  let differs = false;
  for (const [name, a, b] of pairs) {
    if (!a || !b) continue;
    explanation[name] = a === b ? 'equal' : 'differs';
    if (a === b) return 'equal';
    differs = true;
  }
  return differs ? 'differs' : 'unknown';
}

/** Title and author agreement: the part that says "same work". */
function identityCore(
  ctx: LookupContext,
  cand: PartialMetadata,
  explanation: Record<string, number | string>,
): number {
  if (!ctx.title || !cand.title) {
    explanation.title = 'missing';
    return 0;
  }
  const candAuthors = cand.authors?.map((a) => a.name) ?? [];
  // Without known authors, a folder like "Susan Coolidge - What Katy Did" still names one.
  const ctxAuthors = ctx.authors.length ? ctx.authors : authorsInTitle(ctx.title, candAuthors);
  if (!ctx.authors.length && ctxAuthors.length) explanation.author_from = 'title';
  const title = bestTitleMatch(
    titleVariants(ctx.title, ctx.subtitle, ctxAuthors),
    titleVariants(cand.title, cand.subtitle, candAuthors),
  );
  explanation.title = round(title.score);
  explanation.title_via = title.via;
  const differs = title.score < SCORE_WEIGHTS.titleAgrees ? wordsNotIn(cand.title, ctx.title) : [];
  if (differs.length) explanation.title_differs = differs.join(' ');
  const authors = peopleAgreement(ctxAuthors, candAuthors);
  if (!authors) {
    explanation.author = 'unknown';
    return title.score * SCORE_WEIGHTS.titleOnlyCap;
  }
  explanation.author = round(authors.score);
  const w = SCORE_WEIGHTS.titleWithAuthor;
  // A wrong author sinks even a perfect title: same-titled books by different people are common.
  const authorPart = authors.score < 0.6 ? authors.score * 0.5 : authors.score;
  return w * title.score + (1 - w) * authorPart;
}

/** Words of `title` (folded) that `other` does not contain. */
function wordsNotIn(title: string, other: string): string[] {
  const have = new Set(foldText(other).split(' '));
  return foldText(title)
    .split(' ')
    .filter((w) => w && !have.has(w));
}

function authorsInTitle(title: string, candAuthors: readonly string[]): string[] {
  return deFolder(title)
    .split(/\s+[-–—]\s+/)
    .filter((part, _i, all) => all.length > 1 && namesAuthor(part, candAuthors));
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

function durationSignal(
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

function narratorSignal(
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
function seriesSignal(
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
function languageSignal(
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
function yearSignal(
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
