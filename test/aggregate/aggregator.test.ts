import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { makeLookupContext } from '../../src/domain/lookup.js';
import { EventBus } from '../../src/events/bus.js';
import { createMockProvider } from '../../src/providers/mock.js';

const dune = { title: 'Dune', authors: [{ name: 'Frank Herbert' }], asin: 'B002V1OF70' };

function collectEvents(bus: EventBus) {
  const events: string[] = [];
  bus.on('provider.fetch.start', (e) => void events.push(`start:${e.provider}`));
  bus.on('provider.fetch.success', (e) => void events.push(`ok:${e.provider}`));
  bus.on('provider.fetch.error', (e) => void events.push(`error:${e.provider}:${e.error.code}`));
  bus.on('aggregation.conflict', (e) => void events.push(`conflict:${e.conflict.field}`));
  return events;
}

describe('Aggregator', () => {
  it('isolates a throwing provider and a slow one; the others still count', async () => {
    const bus = new EventBus();
    const events = collectEvents(bus);
    const good = createMockProvider({
      id: 'good',
      responses: { dune: { fields: dune, matchConfidence: 0.95 } },
    });
    const broken = createMockProvider({
      id: 'broken',
      responses: { dune: { fields: {}, error: new Error('socket hang up') } },
    });
    const slow = createMockProvider({
      id: 'slow',
      timeoutMs: 50,
      responses: { dune: { fields: { title: 'Slow Dune' }, delayMs: 5_000 } },
    });
    const agg = new Aggregator({ providers: [good.provider, broken.provider, slow.provider], events: bus });
    const started = Date.now();
    const out = await agg.aggregate(makeLookupContext({ title: 'Dune' }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(out.metadata.title).toBe('Dune');
    const status = Object.fromEntries(out.providers.map((p) => [p.provider, p.status]));
    expect(status).toEqual({ good: 'found', broken: 'error', slow: 'timeout' });
    expect(out.providers.find((p) => p.provider === 'broken')?.error?.message).toBe('socket hang up');
    expect(out.providers.find((p) => p.provider === 'slow')?.error?.code).toBe('TIMEOUT');
    expect(Object.keys(out.providerTimings).sort()).toEqual(['broken', 'good', 'slow']);
    expect(events).toContain('error:slow:TIMEOUT');
    expect(events).toContain('ok:good');
  });

  it('rethrows in strict mode', async () => {
    const broken = createMockProvider({
      id: 'broken',
      responses: { dune: { fields: {}, error: new Error('boom') } },
    });
    const agg = new Aggregator({ providers: [broken.provider], events: new EventBus(), strict: true });
    await expect(agg.aggregate(makeLookupContext({ title: 'Dune' }))).rejects.toThrow('boom');
  });

  it('runs sync and async providers together', async () => {
    const sync = createMockProvider({
      id: 'folder',
      kind: 'local',
      mode: 'sync',
      responses: { dune: { fields: { title: 'Dune', narrators: ['Scott Brick'] }, matchConfidence: 0.6 } },
    });
    const asyncP = createMockProvider({
      id: 'net',
      responses: { dune: { fields: dune, matchConfidence: 0.9 } },
    });
    const out = await new Aggregator({
      providers: [sync.provider, asyncP.provider],
      events: new EventBus(),
    }).aggregate(makeLookupContext({ title: 'Dune' }));
    expect(out.sources).toMatchObject({ title: 'net', narrators: 'folder', asin: 'net' });
    expect(sync.calls).toHaveLength(1);
  });

  it('enriches the context from local providers before asking the network (identifier first)', async () => {
    const tags = createMockProvider({
      id: 'tags',
      kind: 'local',
      responses: {
        'dune (unabridged)': { fields: { asin: 'B002V1OF70', title: 'Dune' }, matchConfidence: 0.9 },
      },
    });
    const audnexus = createMockProvider({
      id: 'audnexus',
      idTypes: ['asin'],
      responses: { B002V1OF70: { fields: { ...dune, publisher: 'Macmillan Audio' } } },
    });
    const out = await new Aggregator({
      providers: [tags.provider, audnexus.provider],
      events: new EventBus(),
    }).aggregate(makeLookupContext({ title: 'Dune (Unabridged)' }));
    expect(audnexus.calls[0]?.key).toBe('B002V1OF70');
    expect(out.metadata.publisher).toBe('Macmillan Audio');
    expect(out.context.asin).toBe('B002V1OF70');
  });

  it('runs identifier-only providers in a follow-up round once a search found an ASIN', async () => {
    const search = createMockProvider({
      id: 'audible',
      idTypes: ['search'],
      responses: { dune: { fields: dune, matchConfidence: 0.92 } },
    });
    const byAsin = createMockProvider({
      id: 'audnexus',
      idTypes: ['asin'],
      responses: { B002V1OF70: { fields: { chapters: [{ start: 0, end: 60, title: 'Opening' }] } } },
    });
    const isbnOnly = createMockProvider({ id: 'isbn-only', idTypes: ['isbn'], responses: {} });
    const out = await new Aggregator({
      providers: [search.provider, byAsin.provider, isbnOnly.provider],
      events: new EventBus(),
    }).aggregate(makeLookupContext({ title: 'Dune' }));
    expect(byAsin.calls).toHaveLength(1);
    expect(out.metadata.chapters).toHaveLength(1);
    const skipped = out.providers.find((p) => p.provider === 'isbn-only');
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'needs one of: isbn' });
  });

  it('keeps low-confidence results and results for a different book out of the merge', async () => {
    const bus = new EventBus();
    const strong = createMockProvider({
      id: 'strong',
      responses: { dune: { fields: dune, matchConfidence: 0.95 } },
    });
    const other = createMockProvider({
      id: 'other',
      responses: { dune: { fields: { title: 'Dune Messiah', asin: 'B002V5BQ7O' }, matchConfidence: 0.7 } },
    });
    const weak = createMockProvider({
      id: 'weak',
      responses: { dune: { fields: { publisher: 'Junk' }, matchConfidence: 0.2 } },
    });
    const out = await new Aggregator({
      providers: [strong.provider, other.provider, weak.provider],
      events: bus,
    }).aggregate(makeLookupContext({ title: 'Dune' }));
    expect(out.metadata.title).toBe('Dune');
    expect(out.metadata.publisher).toBeUndefined();
    const byId = Object.fromEntries(out.providers.map((p) => [p.provider, p]));
    expect(byId.other?.status).toBe('excluded');
    expect(byId.other?.reason).toMatch(/different book/);
    expect(byId.weak?.status).toBe('excluded');
    expect(out.confidence).toBe(0.95);
  });

  it('carries custom fields through and emits conflicts', async () => {
    const bus = new EventBus();
    const events = collectEvents(bus);
    const a = createMockProvider({
      id: 'a',
      responses: {
        dune: {
          fields: { ...dune, publisher: 'Ace', customFields: { shelf: 'SF-1' } },
          matchConfidence: 0.9,
        },
      },
    });
    const b = createMockProvider({
      id: 'b',
      responses: { dune: { fields: { publisher: 'Chilton' }, matchConfidence: 0.8 } },
    });
    const out = await new Aggregator({ providers: [a.provider, b.provider], events: bus }).aggregate(
      makeLookupContext({ title: 'Dune' }),
      { locked: { customFields: { mine: 42 } } },
    );
    expect(out.metadata.customFields).toEqual({ shelf: 'SF-1', mine: 42 });
    expect(events).toContain('conflict:publisher');
  });

  it('answers with empty metadata when no provider is enabled', async () => {
    const out = await new Aggregator({ providers: [], events: new EventBus() }).aggregate(
      makeLookupContext({ title: 'x' }),
    );
    expect(out.metadata).toEqual({ customFields: {} });
    expect(out.confidence).toBe(0);
    expect(out.missing).toHaveLength(20);
  });

  it('stops waiting when the caller aborts', async () => {
    const slow = createMockProvider({ id: 'slow', responses: { dune: { fields: dune, delayMs: 10_000 } } });
    const controller = new AbortController();
    const pending = new Aggregator({ providers: [slow.provider], events: new EventBus() }).aggregate(
      makeLookupContext({ title: 'Dune' }),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    const out = await pending;
    expect(out.providers[0]?.status).toBe('error');
    expect(out.providers[0]?.error?.message).toBe('shutting down');
  });
});
