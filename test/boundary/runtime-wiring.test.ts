import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { parseConfig } from '../../src/config/load.js';
import { makeLookupContext } from '../../src/domain/lookup.js';
import { silentLogger } from '../../src/logging.js';

describe('runtime wiring', () => {
  it('network providers go through the cache: the second aggregation is served from it', async () => {
    const config = parseConfig({
      cache: { url: 'memory://wiring' },
      providers: {
        audible: { enabled: false },
        audnexus: { enabled: false },
        openlibrary: { enabled: false },
        googlebooks: { enabled: false },
        itunes: { enabled: false },
        local: {
          tags: { enabled: false },
          sidecars: { enabled: false },
          libation: { enabled: false },
          folder: { enabled: false },
        },
        mock: [{ id: 'canned', responses: { B08G9PRS1K: { fields: { title: 'Project Hail Mary' } } } }],
      },
    });
    const runtime = await createRuntime(config, silentLogger());
    try {
      expect(runtime.cache.backend).toBe('memory');
      const ctx = makeLookupContext({ asin: 'B08G9PRS1K' });
      const first = await runtime.aggregator.aggregate(ctx);
      const second = await runtime.aggregator.aggregate(ctx);
      const outcome = (r: typeof first) => r.providers.find((p) => p.provider === 'canned');
      expect(outcome(first)).toMatchObject({ status: 'found', cached: false });
      expect(outcome(second)).toMatchObject({ status: 'found', cached: true });
      expect(second.metadata.title).toBe('Project Hail Mary');
    } finally {
      await runtime.close();
    }
  });
});
