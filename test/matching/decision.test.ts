import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, DecisionThresholdsSchema, decide } from '../../src/matching/decision.js';

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
