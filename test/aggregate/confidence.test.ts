import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import {
  capUnconfirmed,
  identityRunnerUp,
  UNCONFIRMED_CAP,
  WORK_ONLY_CAP,
} from '../../src/aggregate/confidence.js';
import type { WeightedResult } from '../../src/aggregate/merge.js';
import { type LookupContext, makeLookupContext } from '../../src/domain/lookup.js';
import { EventBus } from '../../src/events/bus.js';
import { decide } from '../../src/matching/decision.js';
import { rankCandidates } from '../../src/matching/score.js';
import { createMockProvider } from '../../src/providers/mock.js';
import type { AsyncProvider } from '../../src/providers/types.js';

/** An edition-level search provider answering with `editions`, ranked by the real scorer. */
function searchProvider(
  editions: { asin: string; durationSeconds?: number }[],
  exhaustive: boolean,
): AsyncProvider {
  return {
    id: 'audible',
    kind: 'network',
    mode: 'async',
    weight: 1,
    capabilities: { idTypes: ['search'], supportsBatch: false, maxBatchSize: 1 },
    async lookup(ctx: LookupContext) {
      const ranked = rankCandidates(
        ctx,
        editions.map((e) => ({ title: 'Coraline', authors: [{ name: 'Neil Gaiman' }], ...e })),
      );
      const best = ranked[0];
      return {
        provider: 'audible',
        success: Boolean(best),
        fields: best?.candidate ?? {},
        confidence: {},
        matchConfidence: best?.score ?? 0,
        matchedBy: 'search',
        exhaustive,
        candidates: ranked.map((r) => ({
          id: r.candidate.asin,
          provider: 'audible',
          title: r.candidate.title,
          authors: ['Neil Gaiman'],
          score: r.score,
          explanation: r.explanation,
        })),
        fetchedAt: new Date().toISOString(),
        cached: false,
      };
    },
  };
}

const weakHit = { title: 'Walking Backwards', authors: [{ name: 'Someone' }], asin: 'B0WEAKHIT1' };

/** A search provider that found a weak candidate, and Audnexus, which only looks ASINs up. */
function searchThenLookup() {
  const search = createMockProvider({
    id: 'audible',
    idTypes: ['search'],
    responses: { 'walking backwards': { fields: weakHit, matchConfidence: 0.537 } },
  });
  const audnexus = createMockProvider({
    id: 'audnexus',
    idTypes: ['asin'],
    responses: { B0WEAKHIT1: { fields: { ...weakHit, narrators: ['N. Reader'] }, matchConfidence: 1 } },
  });
  return { search, audnexus };
}

describe('the confidence rule (src/aggregate/confidence.ts)', () => {
  it('an ASIN found by a search carries that search confidence through the identifier follow-up', async () => {
    const { search, audnexus } = searchThenLookup();
    const agg = new Aggregator({ providers: [search.provider, audnexus.provider], events: new EventBus() });
    const out = await agg.aggregate(makeLookupContext({ title: 'Walking Backwards' }));
    expect(audnexus.calls.map((c) => c.key)).toEqual(['B0WEAKHIT1']);
    expect(out.confidence).toBe(0.54);
    expect(out.metadata.narrators).toEqual(['N. Reader']);
    const outcome = out.providers.find((p) => p.provider === 'audnexus');
    expect(outcome?.matchConfidence).toBe(0.537);
    expect(outcome?.notes?.join(' ')).toMatch(/identifier came from audible's search/);
    expect(decide({ confidence: out.confidence, runnerUpConfidence: 0, found: true }).decision).not.toBe(
      'apply',
    );
  });

  it('an ASIN the item carries (ABS, tag, folder name) may reach 1', async () => {
    const { search, audnexus } = searchThenLookup();
    const agg = new Aggregator({ providers: [search.provider, audnexus.provider], events: new EventBus() });
    const out = await agg.aggregate(makeLookupContext({ title: 'Walking Backwards', asin: 'B0WEAKHIT1' }));
    expect(out.confidence).toBe(1);

    const tags = createMockProvider({
      id: 'local-tags',
      kind: 'local',
      responses: { 'walking backwards': { fields: { asin: 'B0WEAKHIT1' }, matchConfidence: 0.9 } },
    });
    const { audnexus: again } = searchThenLookup();
    const fromTag = new Aggregator({ providers: [tags.provider, again.provider], events: new EventBus() });
    expect((await fromTag.aggregate(makeLookupContext({ title: 'Walking Backwards' }))).confidence).toBe(1);
  });

  it('work-level providers fill fields but the edition-level match sets the confidence', async () => {
    const edition = createMockProvider({
      id: 'audible',
      idTypes: ['search'],
      responses: {
        metamorphosis: { fields: { title: 'Metamorphosis', asin: 'B0KAFKA001' }, matchConfidence: 0.8 },
      },
    });
    const work = createMockProvider({
      id: 'openlibrary',
      idTypes: ['search'],
      identifies: 'work',
      responses: {
        metamorphosis: {
          fields: { title: 'Metamorphosis', description: 'Gregor wakes up.' },
          matchConfidence: 0.97,
        },
      },
    });
    const both = new Aggregator({ providers: [edition.provider, work.provider], events: new EventBus() });
    const out = await both.aggregate(makeLookupContext({ title: 'Metamorphosis' }));
    expect(out.confidence).toBe(0.8);
    expect(out.metadata.description).toBe('Gregor wakes up.');

    const alone = new Aggregator({ providers: [work.provider], events: new EventBus() });
    expect((await alone.aggregate(makeLookupContext({ title: 'Metamorphosis' }))).confidence).toBe(
      WORK_ONLY_CAP,
    );
  });

  describe('a search hit confirmed by title and author only', () => {
    const coraline = makeLookupContext({ title: 'Coraline', authors: ['Neil Gaiman'] });
    const run = (provider: AsyncProvider, ctx: LookupContext = coraline) =>
      new Aggregator({ providers: [provider], events: new EventBus() }).aggregate(ctx);

    it('stays below apply when the search may hold other editions (top N only)', async () => {
      const out = await run(searchProvider([{ asin: 'B0CORA0001', durationSeconds: 12_840 }], false));
      expect(out.confidence).toBe(0.86);
      expect(out.providers[0]?.notes?.join(' ')).toMatch(/no length, narrator or year agreed/);
    });

    it('may apply when the search showed every match and one edition of the work', async () => {
      const out = await run(searchProvider([{ asin: 'B0CORA0001', durationSeconds: 12_840 }], true));
      expect(out.confidence).toBeGreaterThan(0.9);
    });

    it('two editions nothing tells apart: review, with both as candidates', async () => {
      const out = await run(
        searchProvider(
          [
            { asin: 'B0CORA0001', durationSeconds: 12_840 },
            { asin: 'B0CORA0002', durationSeconds: 18_000 },
          ],
          true,
        ),
      );
      const { decision } = decide({
        confidence: out.confidence,
        runnerUpConfidence: out.runnerUpConfidence,
        found: true,
      });
      expect(decision).toBe('review');
      expect(out.candidates.map((c) => c.id).sort()).toEqual(['B0CORA0001', 'B0CORA0002']);
    });

    it('the item length picks one of two editions: apply', async () => {
      const ctx = { ...coraline, durationSeconds: 12_850 };
      const out = await run(
        searchProvider(
          [
            { asin: 'B0CORA0001', durationSeconds: 12_840 },
            { asin: 'B0CORA0002', durationSeconds: 18_000 },
          ],
          false,
        ),
        ctx,
      );
      const { decision } = decide({
        confidence: out.confidence,
        runnerUpConfidence: out.runnerUpConfidence,
        found: true,
      });
      expect(decision).toBe('apply');
      expect(out.metadata.asin).toBe('B0CORA0001');
    });
  });
});

describe('capUnconfirmed: another book, not only another edition', () => {
  /** One exhaustive search that found a single record: no other edition of it exists. */
  const exhaustiveHit = (ctx: LookupContext, cand: { title: string; author: string; seconds: number }) => {
    const [best] = rankCandidates(ctx, [
      {
        title: cand.title,
        authors: [{ name: cand.author }],
        durationSeconds: cand.seconds,
        asin: 'B0ONLY0001',
      },
    ]);
    if (!best) throw new Error('ranked nothing');
    return capUnconfirmed({
      provider: 'audible',
      success: true,
      fields: best.candidate,
      confidence: {},
      matchConfidence: best.score,
      matchedBy: 'search',
      exhaustive: true,
      candidates: [
        {
          id: 'B0ONLY0001',
          provider: 'audible',
          title: cand.title,
          authors: [cand.author],
          score: best.score,
          explanation: best.explanation,
        },
      ],
      fetchedAt: new Date().toISOString(),
      cached: false,
    }).matchConfidence;
  };
  const initiation = { title: 'Initiation', author: 'Alice Gabaud', seconds: 29_040 };

  it('without an author, an exhaustive search does not stand in for a length that pins the book', () => {
    // 3.7 minutes off: another book of that title is as likely as this one.
    expect(
      exhaustiveHit(makeLookupContext({ title: 'Initiation', durationSeconds: 29_260 }), initiation),
    ).toBe(UNCONFIRMED_CAP);
    // 1.2 minutes off (0.3 %) pins it.
    expect(
      exhaustiveHit(makeLookupContext({ title: 'Initiation', durationSeconds: 29_112 }), initiation),
    ).toBeGreaterThan(0.87);
    // With the author, the exhaustive search may still lift the unconfirmed-edition cap.
    expect(
      exhaustiveHit(makeLookupContext({ title: 'Initiation', authors: ['Alice Gabaud'] }), initiation),
    ).toBeGreaterThan(0.87);
  });

  it('without an author, a pinning length needs every edition of the work in view', () => {
    const ctx = makeLookupContext({ title: 'A Christmas Carol', durationSeconds: 10_805 });
    const carol = (asin: string, seconds: number) => ({
      title: 'A Christmas Carol',
      authors: [{ name: 'Charles Dickens' }],
      durationSeconds: seconds,
      asin,
    });
    const search = (exhaustive: boolean) => {
      const ranked = rankCandidates(ctx, [carol('B0CAROL001', 10_860), carol('B0CAROL002', 11_280)]);
      return capUnconfirmed({
        provider: 'audible',
        success: true,
        fields: ranked[0]?.candidate ?? {},
        confidence: {},
        matchConfidence: ranked[0]?.score ?? 0,
        matchedBy: 'search',
        exhaustive,
        candidates: ranked.map((r) => ({
          id: r.candidate.asin,
          provider: 'audible',
          title: r.candidate.title,
          authors: ['Charles Dickens'],
          score: r.score,
          explanation: r.explanation,
        })),
        fetchedAt: new Date().toISOString(),
        cached: false,
      }).matchConfidence;
    };
    // Cut at the page size with another edition showing: an unseen one may be as long.
    expect(search(false)).toBe(UNCONFIRMED_CAP);
    expect(search(true)).toBeGreaterThan(0.87);
  });

  it('a title that differs by a word stays in review, however exhaustive the search', () => {
    const sagen = { title: 'Salzburger Sagen und Legenden', author: 'Christine Giersberg', seconds: 4560 };
    const ctx = makeLookupContext({
      title: 'Lübecker Sagen und Legenden',
      authors: ['Christine Giersberg'],
      narrators: [],
      durationSeconds: 4537,
    });
    expect(exhaustiveHit(ctx, sagen)).toBe(UNCONFIRMED_CAP);
    expect(exhaustiveHit({ ...ctx, title: 'Salzburger Sagen und Legenden' }, sagen)).toBeGreaterThan(0.95);
  });
});

describe('the runner-up (identityRunnerUp)', () => {
  const odyssey = makeLookupContext({
    title: 'The Odyssey',
    authors: ['Homer'],
    narrators: ['Anton Lesser'],
  });
  const editions = [
    { asin: 'B0LESSER01', narrators: ['Anton Lesser'], authors: [{ name: 'Homer' }] },
    {
      asin: 'B0FAGLES01',
      narrators: ['Ian McKellen'],
      authors: [{ name: 'Homer' }, { name: 'Robert Fagles' }],
    },
  ].map((e) => ({ title: 'The Odyssey', ...e }));
  const resultOf = (provider: string, list: typeof editions, identifies?: 'work'): WeightedResult => {
    const ranked = rankCandidates(odyssey, list);
    return {
      provider: {
        id: provider,
        kind: 'network',
        weight: 1,
        capabilities: {
          idTypes: ['search'],
          supportsBatch: false,
          maxBatchSize: 1,
          ...(identifies ? { identifies } : {}),
        },
      },
      order: 0,
      result: {
        provider,
        success: true,
        fields: ranked[0]?.candidate ?? {},
        confidence: {},
        matchConfidence: ranked[0]?.score ?? 0,
        matchedBy: 'search',
        candidates: ranked.map((r) => ({
          id: r.candidate.asin,
          provider,
          title: r.candidate.title,
          authors: r.candidate.authors.map((a) => a.name),
          score: r.score,
          explanation: r.explanation,
        })),
        fetchedAt: new Date().toISOString(),
        cached: false,
      },
    };
  };
  // The work-level provider knows no narrators: both works score alike there.
  const works = editions.map(({ narrators: _n, ...w }) => ({
    ...w,
    narrators: [] as string[],
    asin: `work:${w.authors.length}`,
  }));

  it("a work an edition-level result lists counts with that edition's score", () => {
    const audible = resultOf('audible', editions);
    const openLibrary = resultOf('openlibrary', works, 'work');
    const editionRunnerUp = audible.result.candidates[1]?.score ?? 1;
    const workRunnerUp = openLibrary.result.candidates[1]?.score ?? 0;
    expect(workRunnerUp).toBeGreaterThan(editionRunnerUp + 0.1);
    expect(identityRunnerUp([audible, openLibrary], odyssey)).toBe(editionRunnerUp);
  });

  it('a work no edition-level result lists still counts, and work-level results alone count in full', () => {
    const audible = resultOf('audible', editions.slice(0, 1));
    const openLibrary = resultOf('openlibrary', works, 'work');
    const fagles = openLibrary.result.candidates.find((c) => c.authors?.length === 2)?.score ?? 0;
    expect(identityRunnerUp([audible, openLibrary], odyssey)).toBe(fagles);
    expect(identityRunnerUp([openLibrary], odyssey)).toBe(openLibrary.result.candidates[1]?.score);
  });
});

describe('library language (config matching.libraryLanguages)', () => {
  it("hands providers the item's library language, or the `*` default; the context's own wins", async () => {
    const mock = createMockProvider({ id: 'audible', responses: { dune: { fields: { title: 'Dune' } } } });
    const agg = new Aggregator({
      providers: [mock.provider],
      events: new EventBus(),
      libraryLanguages: { '*': 'english', lib_de: 'german' },
    });
    await agg.aggregate(makeLookupContext({ title: 'Dune', libraryId: 'lib_de' }));
    await agg.aggregate(makeLookupContext({ title: 'Dune', libraryId: 'lib_other' }));
    await agg.aggregate(makeLookupContext({ title: 'Dune', libraryId: 'lib_de', libraryLanguage: 'french' }));
    expect(mock.calls.map((c) => c.ctx.libraryLanguage)).toEqual(['german', 'english', 'french']);
  });
});
