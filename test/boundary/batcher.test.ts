import { describe, expect, it } from 'vitest';
import { withBatching } from '../../src/boundary/batcher.js';
import { type LookupContext, makeLookupContext } from '../../src/domain/lookup.js';
import { emptyResult } from '../../src/domain/provider-result.js';
import { ProviderError } from '../../src/errors.js';
import type { AsyncProvider } from '../../src/providers/types.js';

/** A provider answering batches by echoing each ASIN as the title; records batch sizes. */
function batchProvider(maxBatchSize: number, behaviour: 'ok' | 'fail' | 'short' = 'ok') {
  const batches: string[][] = [];
  const provider: AsyncProvider = {
    id: 'batchy',
    kind: 'network',
    mode: 'async',
    weight: 1,
    capabilities: { idTypes: ['asin'], supportsBatch: true, maxBatchSize },
    async lookup() {
      throw new Error('single lookups must be batched');
    },
    async lookupBatch(ctxs: LookupContext[]) {
      batches.push(ctxs.map((c) => c.asin ?? ''));
      if (behaviour === 'fail')
        throw new ProviderError('batchy', 'UPSTREAM_ERROR', 'HTTP 502', { retryable: true });
      const results = ctxs.map((c) => ({
        ...emptyResult('batchy'),
        success: true,
        fields: { title: `t-${c.asin}` },
      }));
      return behaviour === 'short' ? results.slice(1) : results;
    },
  };
  return { provider, batches };
}
const signal = () => new AbortController().signal;

describe('batching', () => {
  it('groups lookups waiting together into batches of at most maxBatchSize, answers in order', async () => {
    const { provider, batches } = batchProvider(3);
    const batched = withBatching(provider, { windowMs: 20 }) as AsyncProvider;
    const asins = ['A1', 'A2', 'A3', 'A4', 'A5'];
    const results = await Promise.all(
      asins.map((asin) => batched.lookup(makeLookupContext({ asin }), { signal: signal() })),
    );
    expect(results.map((r) => r.fields.title)).toEqual(asins.map((a) => `t-${a}`));
    expect(batches).toEqual([
      ['A1', 'A2', 'A3'],
      ['A4', 'A5'],
    ]);
  });

  it('a failing batch rejects every waiting lookup with the provider error', async () => {
    const { provider } = batchProvider(10, 'fail');
    const batched = withBatching(provider) as AsyncProvider;
    const calls = ['A', 'B'].map((asin) => batched.lookup(makeLookupContext({ asin }), { signal: signal() }));
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('a batch answering the wrong number of results is a clear error', async () => {
    const { provider } = batchProvider(10, 'short');
    const batched = withBatching(provider) as AsyncProvider;
    await expect(batched.lookup(makeLookupContext({ asin: 'A' }), { signal: signal() })).rejects.toThrow(
      /batch of 1 answered with 0 results/,
    );
  });

  it('an aborted caller leaves the batch without stopping the others', async () => {
    const { provider, batches } = batchProvider(10);
    const batched = withBatching(provider, { windowMs: 30 }) as AsyncProvider;
    const controller = new AbortController();
    const gone = batched.lookup(makeLookupContext({ asin: 'GONE' }), { signal: controller.signal });
    const kept = batched.lookup(makeLookupContext({ asin: 'KEPT' }), { signal: signal() });
    controller.abort(new Error('cancelled'));
    await expect(gone).rejects.toThrow('cancelled');
    expect((await kept).fields.title).toBe('t-KEPT');
    expect(batches).toEqual([['KEPT']]);
  });

  it('leaves providers without batch support untouched', () => {
    const { provider } = batchProvider(1);
    const plain = { ...provider, capabilities: { ...provider.capabilities, supportsBatch: false } };
    expect(withBatching(plain)).toBe(plain);
  });
});
