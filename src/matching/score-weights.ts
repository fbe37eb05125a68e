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

/** Scores and explanation values are kept to three decimals. */
export function roundScore(n: number): number {
  return Math.round(n * 1000) / 1000;
}
