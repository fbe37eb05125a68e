import { describe, expect, it } from 'vitest';
import type { AbsItem } from '../../src/bridge/ports.js';
import { completenessOf, summarize } from '../../src/bridge/reports/completeness.js';

const minified = (metadata: Record<string, unknown>, media: Record<string, unknown> = {}) =>
  ({
    id: 'x',
    libraryId: 'l',
    mediaType: 'book',
    media: { metadata, tags: [], ...media },
  }) as unknown as AbsItem;

describe('completeness', () => {
  it('a full book scores 100', () => {
    const c = completenessOf(
      minified(
        {
          title: 'Dune',
          authorName: 'Frank Herbert',
          narratorName: 'Scott Brick',
          seriesName: 'Dune #1',
          genres: ['Science Fiction'],
          publishedYear: '1965',
          publisher: 'Macmillan Audio',
          description: '<p>A stunning blend of adventure and mysticism, environmentalism and politics.</p>',
          asin: 'B002V1OF70',
          language: 'English',
        },
        { coverPath: '/metadata/items/x/cover.jpg', numChapters: 48 },
      ),
    );
    expect(c).toEqual({ itemId: 'x', title: 'Dune', score: 100, missing: [], weak: [] });
  });

  it('names what is missing and weak, weighted', () => {
    const c = completenessOf(
      minified({ title: 'Dune', authorName: 'Frank Herbert', seriesName: 'Dune', description: 'Short.' }),
    );
    expect(c.missing).toEqual([
      'cover',
      'narrators',
      'chapters',
      'identifier',
      'publishedYear',
      'publisher',
      'genres',
      'language',
    ]);
    expect(c.weak).toEqual(['series position', 'description (very short)']);
    expect(c.score).toBe(30); // 100 − (15+10+10+10+5+5+5+5) − 2 × 2.5
    expect(summarize([c]).missing.cover).toBe(1);
  });
});
