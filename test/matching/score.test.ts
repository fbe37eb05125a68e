import { describe, expect, it } from 'vitest';
import { type LookupContext, makeLookupContext } from '../../src/domain/lookup.js';
import type { PartialMetadata } from '../../src/domain/metadata.js';
import {
  durationCurve,
  EDITION_UNCONFIRMED,
  rankCandidates,
  scoreCandidate,
} from '../../src/matching/score.js';

const HOUR = 3600;
const thief: PartialMetadata = {
  title: 'The Lightning Thief',
  subtitle: 'Percy Jackson, Book 1',
  authors: [{ name: 'Rick Riordan' }],
  narrators: ['Jesse Bernstein'],
  series: [{ name: 'Percy Jackson', sequence: '1' }],
  durationSeconds: 10 * HOUR,
  asin: 'B0000THIEF',
  language: 'english',
};
const ctx = (over: Partial<LookupContext>) => makeLookupContext({ title: 'The Lightning Thief', ...over });
const score = (c: LookupContext, cand: PartialMetadata = thief) => scoreCandidate(c, cand).score;

describe('durationCurve (ABS BookFinder)', () => {
  it.each([
    [0, 1],
    [60, 1],
    [3 * 60, 0.8],
    [5 * 60, 0.6],
    [8 * 60, 0.24],
    [11 * 60, 0],
  ])('%i s off → %f', (off, expected) => expect(durationCurve(HOUR, HOUR + off)).toBeCloseTo(expected, 5));
});

describe('scoreCandidate', () => {
  it('an equal ASIN or ISBN is decisive whatever the title says', () => {
    expect(score(ctx({ title: 'Something else', asin: 'b0000thief' }))).toBe(1);
    expect(score(ctx({ title: 'x', isbn: '0-306-40615-2' }), { title: 'y', isbn: '9780306406157' })).toBe(1);
  });

  it('a different known ASIN lowers the score', () => {
    const base = score(ctx({ authors: ['Rick Riordan'], durationSeconds: 10 * HOUR }));
    expect(
      score(ctx({ authors: ['Rick Riordan'], durationSeconds: 10 * HOUR, asin: 'B0OTHER000' })),
    ).toBeLessThan(base - 0.1);
  });

  it.each([
    [
      'exact title, author, duration',
      { authors: ['Rick Riordan'], durationSeconds: 10 * HOUR + 30 },
      0.95,
      1,
    ],
    ['"Last, First" author', { authors: ['Riordan, Rick'], durationSeconds: 10 * HOUR }, 0.95, 1],
    ['initial for the first name', { authors: ['R. Riordan'], durationSeconds: 10 * HOUR }, 0.95, 1],
    [
      'typo in the title',
      { title: 'The Lightning Theif', authors: ['Rick Riordan'], durationSeconds: 10 * HOUR },
      0.87,
      1,
    ],
    [
      'series-shaped folder name',
      {
        title: 'Percy Jackson 01 - The Lightning Thief',
        authors: ['Rick Riordan'],
        durationSeconds: 10 * HOUR,
      },
      0.87,
      1,
    ],
    [
      'author in the folder name, no author known',
      { title: 'Rick Riordan - The Lightning Thief', durationSeconds: 10 * HOUR },
      0.87,
      1,
    ],
    [
      'folder underscores and file noise',
      { title: 'the_lightning_thief_(unabridged)', authors: ['Rick Riordan'], durationSeconds: 10 * HOUR },
      0.87,
      1,
    ],
    ['title only, nothing else', {}, 0.7, 0.87],
    ['wrong author', { authors: ['Someone Else'] }, 0, 0.8],
    [
      'wrong title, right author and length',
      { title: 'The Sea of Monsters', authors: ['Rick Riordan'], durationSeconds: 10 * HOUR },
      0,
      0.7,
    ],
  ] as const)('%s', (_label, over, min, max) => {
    const s = score(ctx(over as Partial<LookupContext>));
    expect(s).toBeGreaterThanOrEqual(min);
    expect(s).toBeLessThanOrEqual(max);
  });

  it('duration only counts once title and author agree (the gate)', () => {
    const unrelated = scoreCandidate(
      ctx({ title: 'Gardening for Beginners', durationSeconds: 10 * HOUR }),
      thief,
    );
    expect(unrelated.explanation.duration_gate).toMatch(/closed/);
    expect(unrelated.score).toBeLessThan(0.5);
  });

  it('a much longer or shorter candidate is another edition', () => {
    const right = score(ctx({ authors: ['Rick Riordan'], durationSeconds: 10 * HOUR }));
    const abridged = score(ctx({ authors: ['Rick Riordan'], durationSeconds: 4 * HOUR }));
    expect(right - abridged).toBeGreaterThan(0.2);
  });

  it('narrator tells apart duplicate titles', () => {
    const c = ctx({ authors: ['Rick Riordan'], narrators: ['Jesse Bernstein'] });
    const other = { ...thief, asin: 'B0000OTHER', narrators: ['Kirby Heyborne'] };
    expect(score(c, thief) - score(c, other)).toBeGreaterThan(0.1);
  });

  it('a different position in the same series is a different book', () => {
    const c = ctx({ authors: ['Rick Riordan'], series: [{ name: 'Percy Jackson', sequence: '2' }] });
    expect(scoreCandidate(c, thief).explanation.series).toBe('sequence 1 ≠ 2');
    expect(score(c)).toBeLessThan(0.7);
  });

  it('titles that differ only in a number are different books', () => {
    const c = makeLookupContext({ title: 'Radio Show Episode 749', authors: ['Host'] });
    expect(score(c, { title: 'Radio Show Episode 796', authors: [{ name: 'Host' }] })).toBeLessThan(0.87);
  });

  it('a different language is penalised', () => {
    expect(score(ctx({ authors: ['Rick Riordan'], language: 'de' }))).toBeLessThan(0.7);
  });

  it('explains every signal it used', () => {
    const { explanation } = scoreCandidate(
      ctx({ authors: ['Rick Riordan'], durationSeconds: 10 * HOUR }),
      thief,
    );
    expect(explanation).toMatchObject({
      title: expect.any(Number),
      author: 1,
      duration: 1,
      narrator: 'unknown',
    });
  });

  it('a candidate without a title scores 0', () => {
    expect(scoreCandidate(ctx({}), { authors: [{ name: 'Rick Riordan' }] })).toMatchObject({
      score: 0,
      explanation: { title: 'missing' },
    });
  });
});

describe('rankCandidates', () => {
  it('puts the right edition first by duration and keeps provider order on ties', () => {
    const c = ctx({ authors: ['Rick Riordan'], durationSeconds: 10 * HOUR });
    const editions = [
      { ...thief, asin: 'SHORT', durationSeconds: 6 * HOUR },
      { ...thief, asin: 'RIGHT' },
      { ...thief, asin: 'TWIN' },
    ];
    expect(rankCandidates(c, editions).map((r) => r.candidate.asin)).toEqual(['RIGHT', 'TWIN', 'SHORT']);
  });
});

describe('scoreCandidate: edition signals', () => {
  const work = { title: 'Walking Backwards', authors: [{ name: 'Ann Author' }] };
  const at = (c: Partial<LookupContext>, cand: PartialMetadata) =>
    scoreCandidate(makeLookupContext({ title: 'Walking Backwards', authors: ['Ann Author'], ...c }), {
      ...work,
      ...cand,
    });
  /** Same work, same length: the year and language tests are not about the length. */
  const hour = { durationSeconds: 3600 };

  it('title and author alone name a work, not an edition: the explanation says so', () => {
    expect(at({}, {}).explanation.edition).toBe(EDITION_UNCONFIRMED);
    expect(
      at({ narrators: ['N. Reader'] }, { narrators: ['N. Reader'] }).explanation.edition,
    ).toBeUndefined();
    expect(at(hour, hour).explanation.edition).toBeUndefined();
    expect(at({ durationSeconds: 3600 }, { durationSeconds: 4200 }).explanation.edition).toBe(
      EDITION_UNCONFIRMED,
    );
  });

  it('a narrator or year does not confirm the edition when the known length disagrees', () => {
    const neufeld = { narrators: ['Bob Neufeld'] };
    // A narrator records more than one edition: 8.6 minutes off is not this one.
    expect(
      at({ ...neufeld, durationSeconds: 12_517 }, { ...neufeld, durationSeconds: 12_000 }).explanation
        .edition,
    ).toBe(EDITION_UNCONFIRMED);
    expect(
      at({ ...neufeld, durationSeconds: 12_017 }, { ...neufeld, durationSeconds: 12_000 }).explanation
        .edition,
    ).toBeUndefined();
    expect(at({ publishedYear: '2016' }, { publishedYear: '2016' }).explanation.edition).toBeUndefined();
    expect(
      at({ publishedYear: '2016', durationSeconds: 4800 }, { publishedYear: '2016', durationSeconds: 3600 })
        .explanation.edition,
    ).toBe(EDITION_UNCONFIRMED);
  });

  it('a title that differs by a word is flagged; noise the readings left in the item is not', () => {
    const sagen = (title: string, candTitle: string) =>
      scoreCandidate(makeLookupContext({ title, authors: ['Christine Giersberg'] }), {
        title: candTitle,
        authors: [{ name: 'Christine Giersberg' }],
      }).explanation;
    expect(sagen('Lübecker Sagen und Legenden', 'Salzburger Sagen und Legenden').title_differs).toBe(
      'salzburger',
    );
    expect(sagen('Rage of Angels 128bps mp3', 'Rage of Angels').title_differs).toBeUndefined();
    expect(
      sagen('Salzburger Sagen und Legenden', 'Salzburger Sagen und Legenden').title_differs,
    ).toBeUndefined();
  });

  it('compares short lengths relatively: a 369 s item is the 6-minute edition, not the 7-minute one', () => {
    const six = at({ durationSeconds: 369 }, { durationSeconds: 360 });
    const seven = at({ durationSeconds: 369 }, { durationSeconds: 420 });
    expect(six.score - seven.score).toBeGreaterThan(0.02);
    expect(seven.explanation.duration_relative_off).toBeGreaterThan(0.05);
  });

  it('a 61 s item is not a 30 s edition, although they are under a minute apart', () => {
    const thirty = at({ durationSeconds: 61 }, { durationSeconds: 30 });
    const minute = at({ durationSeconds: 61 }, { durationSeconds: 60 });
    expect(thirty.score).toBeLessThan(0.87);
    expect(minute.score).toBeGreaterThan(0.95);
  });

  it('long books keep the minute scale (a 10-hour book 1 minute off is exact)', () => {
    expect(at({ durationSeconds: 36_000 }, { durationSeconds: 36_060 }).score).toBeGreaterThan(0.95);
  });

  it('an equal publication year helps, one clearly different hurts, one year apart is neutral', () => {
    const year = (ctxYear: string, cand: PartialMetadata) =>
      at({ ...hour, publishedYear: ctxYear }, { durationSeconds: 3840, ...cand }).score;
    const none = year('2014', {});
    expect(year('2014', { publishedDate: '2014-03-01' })).toBeGreaterThan(none);
    expect(year('2014', { publishedYear: '2019' })).toBeLessThan(none);
    expect(year('2014', { publishedYear: '2015' })).toBe(none);
    // An earlier year in the item is often the print edition's: it costs less.
    expect(year('2014', { publishedYear: '2019' })).toBeGreaterThan(year('2019', { publishedYear: '2014' }));
    expect(year('2019', { publishedYear: '2014' })).toBeLessThan(none - 0.05);
  });

  it("prefers the library's language when the item's own is unknown; the item's own still decides", () => {
    const english = at({ ...hour, libraryLanguage: 'English' }, { ...hour, language: 'english' });
    const german = at({ ...hour, libraryLanguage: 'English' }, { ...hour, language: 'german' });
    expect(english.score).toBeGreaterThan(german.score);
    expect(german.explanation.language).toBe('german ≠ library english');
    const own = at({ libraryLanguage: 'English', language: 'german' }, { language: 'german' });
    expect(own.explanation.language).toBeUndefined();
  });
});
