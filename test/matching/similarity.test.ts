import { describe, expect, it } from 'vitest';
import { makeLookupContext } from '../../src/domain/lookup.js';
import { scoreCandidate } from '../../src/matching/score.js';
import {
  levenshteinRatio,
  personSimilarity,
  singleTypo,
  typoDistance,
} from '../../src/matching/similarity.js';

describe('typoDistance', () => {
  it.each([
    ['stalin', 'stalin', 0],
    ['stlain', 'stalin', 1],
    ['earthed', 'eatrhed', 1],
    ['aftr', 'after', 1],
    ['abc', 'cab', 2],
    ['', 'abc', 3],
  ] as const)('%s / %s → %i', (a, b, d) => {
    expect(typoDistance(a, b)).toBe(d);
    expect(typoDistance(b, a)).toBe(d);
  });

  it('makes a swapped pair of letters one edit in ratios and names', () => {
    expect(levenshteinRatio('stlain', 'stalin')).toBeCloseTo(1 - 1 / 6, 5);
    expect(personSimilarity('gaivn mortimer', 'gavin mortimer')).toBeGreaterThanOrEqual(0.85);
  });
});

describe('singleTypo', () => {
  it.each([
    ['earthed', 'eatrhed', true],
    ['after the rain', 'aftr the rain', true],
    ['in true thug fashion', 'in true thug fahsion', true],
    ['fair fuhren', 'fair fuhen', true],
    ['same', 'same', false],
    ['part i', 'part ii', false],
    ['episode 749', 'episode 748', false],
    ['the great swim', 'the great swan', false],
    ['after the rain', 'after the storm', false],
    ['after the rain', 'after rain', false],
  ] as const)('%s / %s → %s', (a, b, expected) => expect(singleTypo(a, b)).toBe(expected));

  it('lets a one-typo title with the right author and length reach the apply band', () => {
    const cand = { title: 'Earthed', authors: [{ name: 'Rebecca Schiller' }], durationSeconds: 569 * 60 };
    const ctx = makeLookupContext({
      title: 'Eatrhed',
      authors: ['Schiller, Rebecca'],
      durationSeconds: 34174,
    });
    expect(scoreCandidate(ctx, cand).score).toBeGreaterThan(0.9);
    // A different word is not a typo: the title still disagrees.
    const other = makeLookupContext({
      title: 'Earthen',
      authors: ['Rebecca Schiller'],
      durationSeconds: 34174,
    });
    expect(scoreCandidate(other, { ...cand, title: 'Unearthed Again' }).score).toBeLessThan(0.87);
  });
});
