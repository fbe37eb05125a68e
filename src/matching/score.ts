import { normalizeAsin, normalizeIsbn } from '../domain/identifiers.js';
import type { LookupContext } from '../domain/lookup.js';
import type { PartialMetadata } from '../domain/metadata.js';
import {
  durationSignal,
  languageSignal,
  narratorSignal,
  seriesSignal,
  yearSignal,
} from './edition-signals.js';
import { foldText } from './normalize.js';
import { roundScore as round, SCORE_WEIGHTS } from './score-weights.js';
import { peopleAgreement } from './similarity.js';
import { bestTitleMatch, deFolder, namesAuthor, titleVariants } from './variants.js';

export { durationCurve, lengthOff } from './edition-signals.js';
export { SCORE_WEIGHTS } from './score-weights.js';

/** A candidate's score and the per-signal reasons, kept in results so people can see why. */
export interface CandidateScore {
  /** 0..1 — how likely the candidate is the item. */
  score: number;
  explanation: Record<string, number | string>;
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
