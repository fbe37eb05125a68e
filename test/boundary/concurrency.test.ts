import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, type ConcurrencySource } from '../../src/boundary/concurrency.js';
import { queueWait } from '../../src/boundary/queue-clock.js';

function source(limits: Record<string, number>): ConcurrencySource & { slots: Record<string, number> } {
  const slots: Record<string, number> = {};
  return {
    slots,
    slotsTaken: () => slots,
    perSecond: (id) => (limits[id] ?? 1) / 60,
    providers: () => Object.keys(limits),
  };
}

describe('adaptive concurrency', () => {
  it('starts from the strictest limit, one call per item of 1 s', () => {
    expect(new AdaptiveConcurrency(source({ itunes: 20, audible: 60 })).value).toBe(2);
    expect(new AdaptiveConcurrency(source({ local: 6000 })).value).toBe(64);
  });

  it('keeps the binding provider at its limit: c = headroom × work × limit ÷ calls per item', () => {
    // Audible 600/min = 10/s, 2 calls per item → 5 items/s; 0.8 s of work → 4 in flight, ×1.25 → 5.
    const s = source({ audible: 600, custom: 6000 });
    const c = new AdaptiveConcurrency(s);
    for (let i = 0; i < 50; i++) {
      s.slots.audible = (s.slots.audible ?? 0) + 2;
      s.slots.custom = (s.slots.custom ?? 0) + 1;
      c.observe(800);
    }
    expect(c.value).toBe(5);
    expect(c.basis.callsPerItem).toEqual({ audible: 2, custom: 1 });
  });

  it('holds nothing back when every answer is cached (no calls → no bound)', () => {
    const s = source({ itunes: 20 });
    const c = new AdaptiveConcurrency(s);
    for (let i = 0; i < 5; i++) c.observe(50);
    expect(c.value).toBe(64);
  });

  it('leaves time queued for a rate-limit slot out of the work it measures', async () => {
    const s = source({ p: 60 });
    const c = new AdaptiveConcurrency(s, { max: 64 });
    await c.track(async (clock) => {
      s.slots.p = 1;
      await queueWait(() => new Promise((r) => setTimeout(r, 300)), [clock]);
      await new Promise((r) => setTimeout(r, 40));
    });
    expect(c.basis.workMs).toBeGreaterThanOrEqual(35);
    expect(c.basis.workMs).toBeLessThan(150);
  });
});
