import { describe, expect, it } from 'vitest';
import { LOCKED_PROVIDER, mergeResults, type WeightedResult } from '../../src/aggregate/merge.js';
import { DEFAULT_MERGE_OPTIONS } from '../../src/aggregate/merge-rules.js';
import type { PartialMetadata } from '../../src/domain/metadata.js';
import type { ProviderResult } from '../../src/domain/provider-result.js';

function result(
  id: string,
  fields: PartialMetadata,
  opts: { match?: number; weight?: number; confidence?: ProviderResult['confidence']; order?: number } = {},
): WeightedResult {
  return {
    provider: { id, weight: opts.weight ?? 1 },
    order: opts.order ?? 0,
    result: {
      provider: id,
      success: true,
      fields,
      confidence: opts.confidence ?? {},
      matchConfidence: opts.match ?? 1,
      candidates: [],
      fetchedAt: '2026-11-25T00:00:00.000Z',
      cached: id === 'cached',
      raw: id === 'audnexus' ? { series: 'Book 1' } : {},
    },
  };
}

describe('mergeResults', () => {
  it('takes the best-scoring value and keeps every candidate in provenance, best first', () => {
    const out = mergeResults(
      [
        result('openlibrary', { title: 'Dune' }, { match: 0.8, order: 2 }),
        result('audnexus', { title: 'Dune: Deluxe Edition' }, { match: 0.95, order: 0 }),
        result('cached', { title: 'Dune' }, { match: 0.9, weight: 0.5, order: 1 }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.metadata.title).toBe('Dune: Deluxe Edition');
    expect(out.sources.title).toBe('audnexus');
    expect(out.provenance.title?.map((p) => [p.provider, p.confidence])).toEqual([
      ['audnexus', 0.95],
      ['openlibrary', 0.8],
      ['cached', 0.45],
    ]);
    expect(out.provenance.title?.[2]?.cached).toBe(true);
    expect(out.provenance.title?.[0]?.fetchedAt).toBe('2026-11-25T00:00:00.000Z');
  });

  it('uses per-field confidence over match confidence, and weights', () => {
    const out = mergeResults(
      [
        result('tags', { narrators: ['A'] }, { match: 0.5, confidence: { narrators: 1 } }),
        result('audnexus', { narrators: ['B'] }, { match: 0.9 }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.metadata.narrators).toEqual(['A']);
  });

  it('unions genres and tags, deduplicated case-insensitively, best provider first', () => {
    const out = mergeResults(
      [
        result('a', { genres: ['Fantasy', 'Epic'] }, { match: 0.9 }),
        result('b', { genres: ['fantasy', 'Adventure'] }, { match: 0.8 }),
        result('weak', { genres: ['Cooking'] }, { match: 0.3 }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.metadata.genres).toEqual(['Fantasy', 'Epic', 'Adventure']);
  });

  it('honours a configured rule override (best for genres)', () => {
    const out = mergeResults(
      [
        result('a', { genres: ['Fantasy'] }, { match: 0.9 }),
        result('b', { genres: ['Adventure'] }, { match: 0.8 }),
      ],
      { ...DEFAULT_MERGE_OPTIONS, rules: { genres: 'best' } },
    );
    expect(out.metadata.genres).toEqual(['Fantasy']);
  });

  it('reports conflicts only when values differ after normalisation', () => {
    const out = mergeResults(
      [
        result(
          'a',
          { title: 'The Hobbit', publisher: 'Recorded Books', durationSeconds: 36_000 },
          { match: 0.9 },
        ),
        result(
          'b',
          { title: 'the hobbit!', publisher: 'HarperAudio', durationSeconds: 36_020 },
          { match: 0.8 },
        ),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.conflicts.map((c) => c.field)).toEqual(['publisher']);
    expect(out.conflicts[0]?.values.map((v) => v.value)).toEqual(['Recorded Books', 'HarperAudio']);
  });

  it('treats series with the same name and sequence as equal, different sequences as a conflict', () => {
    const same = mergeResults(
      [
        result('a', { series: [{ name: 'Mistborn', sequence: '1' }] }),
        result('b', { series: [{ name: 'mistborn', sequence: 'Book 1' }] }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(same.conflicts).toEqual([]);
    const differ = mergeResults(
      [
        result('a', { series: [{ name: 'Mistborn', sequence: '1' }] }),
        result('b', { series: [{ name: 'Mistborn', sequence: '2' }] }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(differ.conflicts.map((c) => c.field)).toEqual(['series']);
  });

  it('lets locked values win with confidence 1 and keeps the others as candidates', () => {
    const out = mergeResults([result('a', { title: 'Wrong', genres: ['X'] })], DEFAULT_MERGE_OPTIONS, {
      title: 'Right',
      genres: ['Mine'],
    });
    expect(out.metadata.title).toBe('Right');
    expect(out.metadata.genres).toEqual(['Mine']);
    expect(out.sources.title).toBe(LOCKED_PROVIDER);
    expect(out.provenance.title?.map((p) => p.provider)).toEqual([LOCKED_PROVIDER, 'a']);
  });

  it('merges custom fields per key with provenance, and lists missing fields', () => {
    const out = mergeResults(
      [
        result('a', { title: 'T', customFields: { shelf: 'A1', read: false } }, { match: 0.9 }),
        result('b', { customFields: { shelf: 'B2', club: 'yes' } }, { match: 0.7 }),
      ],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.metadata.customFields).toEqual({ shelf: 'A1', read: false, club: 'yes' });
    expect(out.sources['customFields.club']).toBe('b');
    expect(out.provenance['customFields.shelf']?.map((p) => p.value)).toEqual(['A1', 'B2']);
    expect(out.missing).toContain('narrators');
    expect(out.missing).not.toContain('title');
  });

  it('keeps the raw provider value in provenance', () => {
    const out = mergeResults(
      [result('audnexus', { series: [{ name: 'Mistborn', sequence: '1' }] })],
      DEFAULT_MERGE_OPTIONS,
    );
    expect(out.provenance.series?.[0]?.raw).toBe('Book 1');
  });

  it('does not let a merge mutate provider results', () => {
    const input = result('a', { authors: [{ name: 'X' }] });
    const out = mergeResults([input], DEFAULT_MERGE_OPTIONS);
    out.metadata.authors?.push({ name: 'Y' });
    expect(input.result.fields.authors).toEqual([{ name: 'X' }]);
  });
});
