import type { ItemRecord } from '../../src/bridge/service/types.js';

/** A review item as the real matcher leaves it: two editions of Dune that differ by narrator. */
export function duneInReview(): ItemRecord {
  const at = new Date().toISOString();
  const edition = (asin: string, narrators: string[], minutes: number, year: string) => ({
    title: 'Dune',
    authors: [{ name: 'Frank Herbert' }],
    narrators,
    series: [{ name: 'Dune', sequence: '1' }],
    durationSeconds: minutes * 60,
    publishedYear: year,
    language: 'English',
    asin,
    customFields: {},
  });
  return {
    itemId: 'li_dune',
    title: 'Dune',
    decision: 'review',
    confidence: 0.86,
    reason: 'two editions differ only by narrator',
    updatedAt: at,
    history: [{ at, action: 'review', confidence: 0.86 }],
    result: {
      metadata: edition('B002V1OF70', ['Scott Brick'], 1283, '2007'),
      sources: { title: 'audible' },
      provenance: {},
      conflicts: [],
      missing: [],
      fetchedAt: at,
      providerTimings: {},
      providers: [],
      confidence: 0.86,
      runnerUpConfidence: 0.84,
      context: {
        itemId: 'li_dune',
        title: 'Dune',
        authors: ['Frank Herbert'],
        narrators: ['Simon Vance'],
        series: [],
        fileNames: [],
        durationSeconds: 1285 * 60,
        current: { title: 'Dune', authors: [{ name: 'Frank Herbert' }], narrators: ['Simon Vance'] },
      },
      candidates: [
        {
          id: 'B002V1OF70',
          provider: 'audible',
          title: 'Dune',
          authors: ['Frank Herbert'],
          score: 0.86,
          explanation: { title: 1, author: 1, duration: 0.98, duration_minutes_off: 2, narrator: 0.2 },
          fields: edition('B002V1OF70', ['Scott Brick', 'Orlagh Cassidy'], 1283, '2007'),
        },
        {
          id: 'B0CKZ4S3JT',
          provider: 'audible',
          title: 'Dune',
          authors: ['Frank Herbert'],
          score: 0.84,
          explanation: {
            title: 1,
            author: 1,
            duration_minutes_off: 14,
            narrator: 1,
            year: '2023 ≠ 2007',
          },
          fields: edition('B0CKZ4S3JT', ['Simon Vance'], 1299, '2023'),
        },
      ],
    },
  } as ItemRecord;
}
