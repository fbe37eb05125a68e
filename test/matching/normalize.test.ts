import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanSequence,
  foldText,
  normalizeAuthor,
  normalizeLanguage,
  normalizeTitle,
  splitAuthors,
  splitSubtitle,
} from '../../src/matching/normalize.js';

describe('foldText', () => {
  it.each([
    ['Les Misérables', 'les miserables'],
    ['Crime & Punishment', 'crime and punishment'],
    ['Hobbit, The', 'the hobbit'],
    ["Ender's Game!", 'enders game'],
    ['Straße — Ærø', 'strasse aero'],
    ['  MIXED   case\tand\nspace ', 'mixed case and space'],
  ])('%s → %s', (input, expected) => expect(foldText(input)).toBe(expected));
});

describe('normalizeTitle', () => {
  it.each([
    ['The Hobbit (Unabridged)', 'hobbit'],
    ['The Hobbit [64k] mp3', 'hobbit'],
    ['Leviathan 128kpbs mp3', 'leviathan'],
    ['Leviathan 128 kbps', 'leviathan'],
    ['Leviathan 64kb', 'leviathan'],
    ['Leviathan 96kbs', 'leviathan'],
    ['Leviathan 64kbit', 'leviathan'],
    ['K2 Kbps Kings', 'k2 kbps kings'],
    ['01 - The Hobbit', 'hobbit'],
    ['Hobbit, The', 'hobbit'],
    ['The Lightning Thief, Book 1', 'lightning thief'],
    ['Dune: 40th Anniversary Edition', 'dune'],
    ['1984', '1984'],
    ['12 Monkeys', '12 monkeys'],
    ['Complete and Uncut', 'complete and uncut'],
  ])('%s → %s', (input, expected) => expect(normalizeTitle(input)).toBe(expected));
});

describe('splitSubtitle', () => {
  it.each([
    ['Dune: Book One', { main: 'Dune', subtitle: 'Book One' }],
    ['Atomic Habits - An Easy Way', { main: 'Atomic Habits', subtitle: 'An Easy Way' }],
    ['Catch-22', { main: 'Catch-22' }],
  ])('%s', (input, expected) => expect(splitSubtitle(input)).toEqual(expected));
});

describe('normalizeAuthor and splitAuthors', () => {
  it.each([
    ['Tolkien, J.R.R.', 'j r r tolkien'],
    ['J.R.R.Tolkien', 'j r r tolkien'],
    ['Martin Luther King, Jr.', 'martin luther king'],
    ['Gabriel García Márquez', 'gabriel garcia marquez'],
    ['Robina Courtin-editor', 'robina courtin'],
  ])('normalizeAuthor(%s) → %s', (input, expected) => expect(normalizeAuthor(input)).toBe(expected));

  it.each<[string | string[], string[]]>([
    ['Tolkien, J.R.R. & Christopher Tolkien', ['j r r tolkien', 'christopher tolkien']],
    ['Douglas Preston, Lincoln Child', ['douglas preston', 'lincoln child']],
    ['King, Stephen; Straub, Peter', ['stephen king', 'peter straub']],
    ['Neil Gaiman and Terry Pratchett', ['neil gaiman', 'terry pratchett']],
    ['Jane Doe et al.', ['jane doe']],
    ['A / B', ['a', 'b']],
    [['Sanderson, Brandon', 'Brandon Sanderson'], ['brandon sanderson']],
    ['', []],
  ])('splitAuthors(%j)', (input, expected) => expect(splitAuthors(input)).toEqual(expected));
});

describe('identifiers, sequence and language', () => {
  it.each<[string | number | null, string | null]>([
    ['Book 1', '1'],
    ['0.5', '0.5'],
    ['1-2', '1'],
    ['Tome 03', '3'],
    ['2, Dramatized Adaptation', '2'],
    [7, '7'],
    ['Prequel', null],
    [null, null],
  ])('cleanSequence(%j) → %j', (input, expected) => expect(cleanSequence(input)).toBe(expected));

  it.each([
    ['en', 'english'],
    ['eng', 'english'],
    ['English', 'english'],
    ['de-DE', 'german'],
    ['german', 'german'],
  ])('normalizeLanguage(%s) → %s', (input, expected) => expect(normalizeLanguage(input)).toBe(expected));
});

describe('normalisers on arbitrary unicode', () => {
  const text = fc.string({ unit: 'binary', maxLength: 60 });
  it.each([
    ['foldText', foldText],
    ['normalizeTitle', normalizeTitle],
    ['normalizeAuthor', normalizeAuthor],
  ])('%s never throws and is idempotent', (_name, fn) => {
    fc.assert(
      fc.property(text, (s) => {
        const once = fn(s);
        expect(fn(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('splitAuthors and cleanSequence never throw', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(Array.isArray(splitAuthors(s))).toBe(true);
        const seq = cleanSequence(s);
        expect(seq === null || Number.isFinite(Number(seq))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
