import { describe, expect, it } from 'vitest';
import { type LookupContext, makeLookupContext } from '../../src/domain/lookup.js';
import { type ProviderResult, ProviderResultSchema } from '../../src/domain/provider-result.js';
import type { MetadataProvider } from '../../src/providers/types.js';

/** What the contract needs to exercise one provider. */
export interface ProviderFixture {
  provider: MetadataProvider;
  /** A context the provider finds. */
  found: Partial<LookupContext>;
  /** A context it looks up (files read, requests sent) and does not find. */
  notFound: Partial<LookupContext>;
  /** Network providers: requests sent so far, and a way to hold the next ones in flight. */
  network?: {
    requests(): number;
    /** Resolves when the next request has been sent. */
    nextRequest(): Promise<void>;
    /** Holds every request for a while, so an abort lands while one is in flight. */
    holdRequests(): void;
  };
}

/** How long an aborted lookup may take to settle. */
const PROMPTLY_MS = 1000;

function lookup(provider: MetadataProvider, ctx: Partial<LookupContext>, signal: AbortSignal) {
  const full = makeLookupContext(ctx);
  return provider.mode === 'sync'
    ? Promise.resolve(provider.lookupSync(full))
    : provider.lookup(full, { signal });
}

/** The checks every result keeps, found or not: the zod schema, then its own id on it and its candidates. */
function expectContractShape(provider: MetadataProvider, result: ProviderResult): void {
  const parsed = ProviderResultSchema.safeParse(result);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(result.provider).toBe(provider.id);
  for (const c of result.candidates) expect(c.provider).toBe(provider.id);
  const scores = result.candidates.map((c) => c.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  expect(new Date(result.fetchedAt).toISOString()).toBe(result.fetchedAt);
}

/**
 * The one contract every provider keeps (as the cache and exporter suites do for theirs): results
 * parse against `ProviderResultSchema` (scores in 0..1, candidates best first, `fetchedAt`
 * ISO-8601 UTC), "not found" is `success: false` without an error and never an exception, and an
 * aborted lookup settles at once and sends nothing more. Sync providers compute from the context
 * and cannot be aborted (the aggregator runs them off the caller's stack), so the abort checks
 * are for async ones.
 */
export function describeProviderContract(name: string, setup: () => Promise<ProviderFixture>): void {
  describe(`provider contract: ${name}`, () => {
    it('finds: a successful result with candidates that keeps the schema', async () => {
      const { provider, found } = await setup();
      const result = await lookup(provider, found, new AbortController().signal);
      expectContractShape(provider, result);
      expect(result.success).toBe(true);
      expect(result.error).toBeUndefined();
      expect(Object.keys(result.fields).length).toBeGreaterThan(0);
      expect(result.candidates.length).toBeGreaterThan(0);
      expect(result.matchConfidence).toBeGreaterThan(0);
    });

    it('not found: success false without an error, never an exception', async () => {
      const { provider, notFound } = await setup();
      const result = await lookup(provider, notFound, new AbortController().signal);
      expectContractShape(provider, result);
      expect(result).toMatchObject({ success: false, matchConfidence: 0 });
      expect(result.error).toBeUndefined();
      expect(result.fields).toEqual({});
    });

    it('an empty context is not found either', async () => {
      const { provider } = await setup();
      const result = await lookup(provider, {}, new AbortController().signal);
      expectContractShape(provider, result);
      expect(result.success).toBe(false);
      expect(result.error).toBeUndefined();
    });

    it('an already aborted lookup rejects and sends nothing', async (ctx) => {
      const { provider, found, network } = await setup();
      if (provider.mode === 'sync') return ctx.skip();
      const controller = new AbortController();
      controller.abort(new Error('aborted by the test'));
      const before = network?.requests() ?? 0;
      await expect(
        provider.lookup(makeLookupContext(found), { signal: controller.signal }),
      ).rejects.toThrow();
      expect(network?.requests() ?? 0).toBe(before);
    });

    it('aborted in flight: settles promptly and sends no further request', async (ctx) => {
      const { provider, found, network } = await setup();
      if (provider.mode === 'sync' || !network) return ctx.skip();
      network.holdRequests();
      const controller = new AbortController();
      const sent = network.nextRequest();
      const started = Date.now();
      const settled = provider.lookup(makeLookupContext(found), { signal: controller.signal }).then(
        () => 'resolved',
        () => 'rejected',
      );
      await sent;
      controller.abort(new Error('aborted by the test'));
      const atAbort = network.requests();
      expect(await settled).toBe('rejected');
      expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(network.requests()).toBe(atAbort);
    });

    it('a batch answers in order, each result keeping the contract', async (ctx) => {
      const { provider, found, notFound } = await setup();
      if (provider.mode === 'sync' || !provider.capabilities.supportsBatch || !provider.lookupBatch)
        return ctx.skip();
      const results = await provider.lookupBatch([makeLookupContext(found), makeLookupContext(notFound)], {
        signal: new AbortController().signal,
      });
      for (const r of results) expectContractShape(provider, r);
      expect(results.map((r) => r.success)).toEqual([true, false]);
    });
  });
}
