import { describe, expect, it } from 'vitest';
import { applyGenreRules, withGenreRules } from '../../src/bridge/pipeline/genre-rules.js';
import { parseConfig } from '../../src/config/load.js';
import { foldText } from '../../src/matching/normalize.js';

const rules = parseConfig({
  genres: {
    enabled: true,
    map: { 'Science Fiction & Fantasy': ['Science Fiction', 'Fantasy'], 'Sci-Fi': ['Science Fiction'] },
    block: ['Unabridged', 'Audible Original'],
    toTags: ['Bestseller'],
    max: 3,
  },
}).genres;

describe('genre rules', () => {
  it('terms are compared folded: case, accents, punctuation and "&" (foldText)', () => {
    expect(foldText('Science Fiction & Fantasy')).toBe(foldText('science-fiction and FANTASY'));
    expect(foldText('Fantástico')).toBe('fantastico');
  });

  it('maps one term to many, blocks, makes tags, drops duplicates and caps', () => {
    const out = applyGenreRules(
      ['science fiction & fantasy', 'Sci-Fi', 'Unabridged', 'Bestseller', 'Horror', 'Thriller', 'Mystery'],
      ['Unabridged', 'keep-me'],
      rules,
    );
    expect(out.genres).toEqual(['Science Fiction', 'Fantasy', 'Horror']);
    expect(out.tags).toEqual(['keep-me', 'Bestseller']);
    expect(out.notes).toEqual([
      'mapped by rule: "science fiction & fantasy" → Science Fiction, Fantasy',
      'mapped by rule: "Sci-Fi" → Science Fiction',
      'blocked by rule: "Unabridged"',
      'made a tag by rule: "Bestseller"',
      'capped at 3 genres: dropped Thriller, Mystery',
    ]);
  });

  it('off: nothing changes; tidyExisting tidies the book’s own genres under fill-empty', () => {
    const base = parseConfig({});
    const desired = { genres: ['Space Opera'] };
    const current = { genres: ['Science Fiction & Fantasy'], tags: [] };
    expect(withGenreRules(desired, current, base).desired).toBe(desired);
    const on = parseConfig({ genres: { ...rules, tidyExisting: true } });
    const tidied = withGenreRules(desired, current, on);
    expect(tidied.desired.genres).toEqual(['Science Fiction', 'Fantasy']);
    expect(tidied.bridge.fieldPolicy.genres).toBe('overwrite');
    const locked = parseConfig({
      genres: { ...rules, tidyExisting: true },
      bridge: { fieldPolicy: { genres: 'locked' } },
    });
    expect(withGenreRules(desired, current, locked).bridge.fieldPolicy.genres).toBe('locked');
  });
});
