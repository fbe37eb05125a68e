import { describe, expect, it } from 'vitest';
import { sequenceAsWritten } from '../../../src/matching/normalize.js';
import {
  normalizeLanguage,
  parseSeriesList,
  splitGenres,
  splitPeople,
  stripAbridgement,
} from '../../../src/providers/local/names.js';

describe('splitPeople (ABS parseNameString rules)', () => {
  it.each([
    ['J.K. Rowling', ['J.K. Rowling']],
    ['Jane Doe; John Roe', ['Jane Doe', 'John Roe']],
    ['Rowling, J.K. & Fry, Stephen', ['J.K. Rowling', 'Stephen Fry']],
    ['Ilona Andrews', ['Ilona Andrews']],
    ['Douglas Preston and Lincoln Child', ['Douglas Preston', 'Lincoln Child']],
    ['Scott Brick, Simon Vance, Euan Morton', ['Scott Brick', 'Simon Vance', 'Euan Morton']],
    ['Unknown', []],
    ['  ', []],
  ])('%s', (input, expected) => {
    expect(splitPeople(input)).toEqual(expected);
  });
});

describe('identifiers and small values', () => {
  it.each([
    ['Book 3', '3'],
    ['03', '3'],
    ['1.50', '1.5'],
    ['-1', null],
    ['1-2', '1-2'],
    ['', null],
  ])('sequenceAsWritten(%s)', (raw, expected) => expect(sequenceAsWritten(raw)).toBe(expected));
  it('reads series lists, genres, languages and abridgement markers', () => {
    expect(parseSeriesList('Discworld #2; Rincewind #2')).toEqual([
      { name: 'Discworld', sequence: '2' },
      { name: 'Rincewind', sequence: '2' },
    ]);
    expect(splitGenres('Fantasy/Epic;Adventure // Fantasy')).toEqual(['Fantasy', 'Epic', 'Adventure']);
    expect(normalizeLanguage('eng')).toBe('English');
    expect(normalizeLanguage('de')).toBe('German');
    expect(normalizeLanguage('klingon')).toBe('Klingon');
    expect(stripAbridgement('Dune (Unabridged)')).toEqual({ title: 'Dune', abridged: false });
    expect(stripAbridgement('Dune [Abridged]')).toEqual({ title: 'Dune', abridged: true });
  });
});
