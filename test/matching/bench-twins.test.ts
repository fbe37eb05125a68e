import { describe, expect, it } from 'vitest';
import type { BenchCase } from '../../bench/matching/contexts.js';
import { markIndistinguishableTwins } from '../../bench/matching/twins.js';
import type { CatalogueRecord } from '../../bench/matching/types.js';
import { makeLookupContext } from '../../src/domain/lookup.js';

const rec = (asin: string, over: Partial<CatalogueRecord> = {}): CatalogueRecord => ({
  asin,
  title: 'Hell-Bent',
  authors: ['Benjamin Lorr'],
  narrators: ['Ben Lorr'],
  minutes: 582,
  released: '2012-01-01',
  language: 'english',
  ratings: 1,
  ...over,
});

const catalogue = [
  rec('A1'),
  rec('A2', { minutes: 583 }), // a re-listing: same everything, a minute longer
  rec('B1', { title: 'Other', narrators: ['X'] }),
  rec('B2', { title: 'Other', narrators: ['Y'] }), // same title, another narrator
  rec('C1', { title: 'Long', minutes: 600 }),
  rec('C2', { title: 'Long', minutes: 640 }), // same title, another length
];

function caseFor(expected: string | null, ctx: Partial<Parameters<typeof makeLookupContext>[0]>): BenchCase {
  return { ctx: makeLookupContext({ title: 'x', ...ctx }), expected, noise: [] };
}

describe('bench: indistinguishable twins', () => {
  it('marks a book only when nothing the lookup carries tells its twin apart', () => {
    const cases = [
      caseFor('A1', { durationSeconds: 582 * 60 }),
      caseFor('A1', { asin: 'A1' }), // the ASIN decides
      caseFor('B1', {}), // no narrator known: B2 is a twin
      caseFor('B1', { narrators: ['X'] }), // the narrator tells them apart
      caseFor('C1', { durationSeconds: 600 * 60 }), // the length tells them apart
      caseFor('C1', {}), // no length known: a twin
      caseFor('A1', { language: 'german' }), // same language on both records: still a twin
      caseFor(null, {}), // absent books are never twins
    ];
    markIndistinguishableTwins(catalogue, cases);
    expect(cases.map((c) => Boolean(c.twin))).toEqual([true, false, true, false, false, true, true, false]);
  });

  it('counts records of one main title as twins when the lookup does not name the subtitle', () => {
    const works = [
      rec('P1', { title: 'Panic', authors: ['Lauren Oliver'] }),
      rec('P2', { title: 'Panic', subtitle: 'Ghosts and Legends', authors: ['Lauren Oliver'] }),
      rec('P3', { title: 'Panic', subtitle: 'Ghosts and Legends', authors: ['Lauren Oliver'], minutes: 900 }),
    ];
    const cases = [
      caseFor('P2', { title: 'Panic', authors: ['Lauren Oliver'] }), // P1 says the same
      caseFor('P1', { title: 'Panic', authors: ['Lauren Oliver'] }), // P2 says the same
      // the subtitle (one word mistyped) rules P1 out; the length rules P3 out
      caseFor('P2', {
        title: 'Panic: Ghosst and Legends',
        authors: ['Lauren Oliver'],
        durationSeconds: 582 * 60,
      }),
      caseFor('P2', { title: 'Panic: Ghosts and Legends', authors: ['Lauren Oliver'] }), // P3: no length known
    ];
    markIndistinguishableTwins(works, cases);
    expect(cases.map((c) => Boolean(c.twin))).toEqual([true, true, false, true]);
  });
});
