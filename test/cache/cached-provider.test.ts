import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { cacheKeyFor, withCache } from '../../src/cache/cached-provider.js';
import { MetadataCache } from '../../src/cache/metadata-cache.js';
import { makeLookupContext } from '../../src/domain/lookup.js';
import { ProviderError } from '../../src/errors.js';
import { EventBus } from '../../src/events/bus.js';
import { createMockProvider, type MockProviderOptions } from '../../src/providers/mock.js';
import type { AsyncProvider } from '../../src/providers/types.js';

const policy = { ttlSeconds: 3600, searchTtlSeconds: 600, negativeTtlSeconds: 60, region: 'us' };

function setup(responses: MockProviderOptions['responses'] = {}) {
  const events = new EventBus();
  const seen: string[] = [];
  events.on('cache.hit', (e) => {
    seen.push(`hit ${e.key}`);
  });
  events.on('cache.miss', (e) => {
    seen.push(`miss ${e.key}`);
  });
  const cache = new MetadataCache('memory://', {
    events,
    namespace: `t${Math.random().toString(36).slice(2)}`,
  });
  const mock = createMockProvider({ id: 'audnexus', idTypes: ['asin', 'search'], responses });
  const provider = withCache(mock.provider, cache, policy, events) as AsyncProvider;
  return { events, seen, cache, mock, provider };
}
const opts = () => ({ signal: new AbortController().signal });
const book = { fields: { title: 'Project Hail Mary', asin: 'B08G9PRS1K' }, matchConfidence: 0.97 };

describe('cached provider', () => {
  it('serves the second lookup from the cache, whatever the ASIN case', async () => {
    const { provider, mock, seen } = setup({ B08G9PRS1K: book });
    const first = await provider.lookup(makeLookupContext({ asin: 'B08G9PRS1K' }), opts());
    const second = await provider.lookup(makeLookupContext({ asin: ' b08g9prs1k' }), opts());
    expect(mock.calls).toHaveLength(1);
    expect(first.cached).toBe(false);
    expect(second).toEqual({ ...first, cached: true });
    expect(seen).toEqual(['miss 2.0.0:audnexus:asin:B08G9PRS1K:us', 'hit 2.0.0:audnexus:asin:B08G9PRS1K:us']);
  });

  it('refresh skips the read but stores the fresh answer', async () => {
    const { provider, mock } = setup({ B08G9PRS1K: book });
    const ctx = makeLookupContext({ asin: 'B08G9PRS1K' });
    await provider.lookup(ctx, opts());
    await provider.lookup(ctx, { ...opts(), refresh: true });
    expect(mock.calls).toHaveLength(2);
    expect((await provider.lookup(ctx, opts())).cached).toBe(true);
  });

  it('caches "not found" (negative) but never a thrown error', async () => {
    const boom = new ProviderError('audnexus', 'UPSTREAM_ERROR', 'HTTP 503', {
      retryable: true,
      status: 503,
    });
    const { provider, mock } = setup({ B000000BAD: { fields: {}, error: boom } });
    const missing = makeLookupContext({ asin: 'B000000000' });
    expect((await provider.lookup(missing, opts())).success).toBe(false);
    expect((await provider.lookup(missing, opts())).cached).toBe(true);
    const failing = makeLookupContext({ asin: 'B000000BAD' });
    await expect(provider.lookup(failing, opts())).rejects.toBe(boom);
    await expect(provider.lookup(failing, opts())).rejects.toBe(boom);
    expect(mock.calls.map((c) => c.ctx.asin)).toEqual(['B000000000', 'B000000BAD', 'B000000BAD']);
  });

  it('uses the search key when there is no identifier, and passes through when nothing identifies the book', async () => {
    const { mock, provider } = setup();
    expect(
      cacheKeyFor(
        mock.provider,
        makeLookupContext({ title: 'Dune', authors: ['Frank Herbert'], region: 'UK' }),
      ),
    ).toBe('2.0.0:audnexus:search:dune|frank herbert:uk');
    await provider.lookup(makeLookupContext({ fileNames: ['01.mp3'] }), opts());
    await provider.lookup(makeLookupContext({ fileNames: ['01.mp3'] }), opts());
    expect(mock.calls).toHaveLength(2);
  });

  it('shows cached: true in the aggregated result, per provider and per field', async () => {
    const { provider, events } = setup({ B08G9PRS1K: book });
    const aggregator = new Aggregator({ providers: [provider], events });
    const ctx = makeLookupContext({ asin: 'B08G9PRS1K' });
    const fresh = await aggregator.aggregate(ctx);
    const again = await aggregator.aggregate(ctx);
    expect(fresh.providers[0]?.cached).toBe(false);
    expect(again.providers[0]?.cached).toBe(true);
    expect(again.provenance.title?.[0]).toMatchObject({
      provider: 'audnexus',
      cached: true,
      value: 'Project Hail Mary',
    });
    expect(again.metadata.title).toBe('Project Hail Mary');
  });
});
