import { describe, expect, it } from 'vitest';
import { memoizeText } from '../../src/matching/memo.js';
import { foldText, normalizeAuthor } from '../../src/matching/normalize.js';

describe('memoizeText', () => {
  it('computes each text once while it is held, and answers as the function does', () => {
    const seen: string[] = [];
    const upper = memoizeText((t) => {
      seen.push(t);
      return t.toUpperCase();
    });
    expect([upper('a'), upper('b'), upper('a')]).toEqual(['A', 'B', 'A']);
    expect(seen).toEqual(['a', 'b']);
  });

  it('holds at most `max` answers: when full it starts again', () => {
    const seen: string[] = [];
    const same = memoizeText((t) => {
      seen.push(t);
      return t;
    }, 2);
    for (const t of ['a', 'b', 'c', 'a']) same(t);
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it('the memoised normalisers give the same answer the second time', () => {
    expect(foldText('Les Misérables & Co.')).toBe('les miserables and co');
    expect(foldText('Les Misérables & Co.')).toBe('les miserables and co');
    expect(normalizeAuthor('Tolkien, J.R.R.')).toBe(normalizeAuthor('Tolkien, J.R.R.'));
  });
});
