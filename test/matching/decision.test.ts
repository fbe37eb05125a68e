import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/domain/provider-result.js';
import {
  DEFAULT_THRESHOLDS,
  DecisionThresholdsSchema,
  decide,
  runnerUpScore,
} from '../../src/matching/decision.js';

const t = { apply: 0.87, review: 0.6, minGap: 0.05 };

describe('decide', () => {
  it.each([
    [0.87, 0.82, 'apply'],
    [0.87, 0.821, 'review'],
    [0.8699, 0, 'review'],
    [0.6, 0, 'review'],
    [0.5999, 0, 'reject'],
    [1, 1, 'review'],
    [1, 0.95, 'apply'],
  ] as const)('confidence %f, runner-up %f → %s', (confidence, runnerUpConfidence, expected) => {
    expect(decide({ confidence, runnerUpConfidence, found: true }, t).decision).toBe(expected);
  });

  it('nothing found is rejected with a reason', () => {
    expect(decide({ confidence: 0, runnerUpConfidence: 0, found: false }, t)).toEqual({
      decision: 'reject',
      reason: 'no provider found the book',
    });
  });

  it('says why a strong match still goes to review', () => {
    expect(decide({ confidence: 0.99, runnerUpConfidence: 0.97, found: true }, t).reason).toMatch(
      /runner-up/,
    );
  });

  it('defaults are the tuned ones and invalid thresholds are refused', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ apply: 0.87, review: 0.6, minGap: 0.05 });
    expect(() => DecisionThresholdsSchema.parse({ apply: 1.5 })).toThrow(/apply/);
  });
});

describe('runnerUpScore', () => {
  const cand = (id: string, score: number, minutesOff: number | undefined, over: Partial<Candidate> = {}) =>
    ({
      id,
      provider: 'audible',
      title: 'Leaders Eat Last',
      authors: ['Simon Sinek'],
      score,
      explanation: minutesOff === undefined ? { duration: 'unknown' } : { duration_minutes_off: minutesOff },
      ...over,
    }) satisfies Candidate;

  it('is the second score when the runner-up is a different book', () => {
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 1.4, { title: 'Leaders Eat First' })])).toBe(
      0.94,
    );
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 1.4, { authors: ['Someone Else'] })])).toBe(
      0.94,
    );
    expect(runnerUpScore([cand('a', 0.95, 0.4)])).toBe(0);
    expect(runnerUpScore([])).toBe(0);
  });

  it('sets aside another edition of the same work that the length clearly rules out', () => {
    expect(
      runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 1.9), cand('c', 0.3, 40, { title: 'X' })]),
    ).toBe(0.3);
    // Author spelled as "Last, First" on one side is still the same work.
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 2, { authors: ['Sinek, Simon'] })])).toBe(0);
  });

  it('keeps an edition of equal, unknown or not clearly different length as the runner-up', () => {
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.95, 0.4)])).toBe(0.95);
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 1.2)])).toBe(0.94);
    // A minute apart is within an item's measuring noise (store rounding and the files).
    expect(runnerUpScore([cand('a', 0.95, 0.4), cand('b', 0.94, 1.4)])).toBe(0.94);
    expect(runnerUpScore([cand('a', 0.9, undefined), cand('b', 0.9, undefined)])).toBe(0.9);
    // The best itself is too far off for its length to prove anything.
    expect(runnerUpScore([cand('a', 0.9, 3), cand('b', 0.88, 5)])).toBe(0.88);
  });
});

describe('runnerUpScore: editions the item tells apart', () => {
  const edition = (id: string, score: number, explanation: Candidate['explanation']) =>
    ({
      id,
      provider: 'audible',
      title: 'The Metamorphosis',
      authors: ['Franz Kafka'],
      score,
      explanation,
    }) satisfies Candidate;

  it.each([
    [
      'relative length (369 s item: 6-minute edition over the 7-minute one)',
      { duration_minutes_off: 0.15, duration_relative_off: 0 },
      { duration_minutes_off: 0.85, duration_relative_off: 0.057 },
    ],
    ['narrator', { narrator: 1 }, { narrator: 0.2 }],
    ['year (the other is earlier than the item)', { year: 'same' }, { year: '2009 ≠ 2014' }],
    ["the item's language", {}, { language: 'german ≠ english' }],
  ])('%s rules the other edition out', (_name, best, other) => {
    expect(runnerUpScore([edition('a', 0.97, best), edition('b', 0.96, other)])).toBe(0);
  });

  it.each([
    ['nothing known', {}, {}],
    ['a year one apart', { year: 'same' }, { year: '2015 ≈ 2014' }],
    // The item's 2007 may be the print year of the 2021 recording.
    ['a year later than the item', { year: 'same' }, { year: '2021 ≠ 2007' }],
    ['both narrators agree', { narrator: 1 }, { narrator: 1 }],
    [
      "only the library's language (it orders, it does not tell apart)",
      {},
      { language: 'german ≠ library english' },
    ],
    [
      'both lengths equally close',
      { duration_minutes_off: 0.2, duration_relative_off: 0 },
      { duration_minutes_off: 0.4, duration_relative_off: 0 },
    ],
    [
      "a closer length, but the library's language favours the other",
      { duration_minutes_off: 0.2, duration_relative_off: 0, language: 'german ≠ library italian' },
      { duration_minutes_off: 2.2, duration_relative_off: 0.08 },
    ],
    [
      'a closer length, but the narrator agrees with the other',
      { duration_minutes_off: 0.2, duration_relative_off: 0, narrator: 0.1 },
      { duration_minutes_off: 2.2, duration_relative_off: 0.08, narrator: 1 },
    ],
  ])('%s: the other edition stays the runner-up', (_name, best, other) => {
    expect(runnerUpScore([edition('a', 0.97, best), edition('b', 0.96, other)])).toBe(0.96);
  });
});
