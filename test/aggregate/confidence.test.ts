import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { WORK_ONLY_CAP } from '../../src/aggregate/confidence.js';
import { EventBus } from '../../src/events/bus.js';
import { decide } from '../../src/matching/decision.js';
import { createMockProvider } from '../../src/providers/mock.js';
import { makeLookupContext } from '../../src/providers/types.js';

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
});
