import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/events/bus.js';
import { silentLogger } from '../../src/logging.js';

describe('EventBus', () => {
  it('awaits async handlers in order', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('export.complete', async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`a:${e.exporter}`);
    });
    bus.on('export.complete', (e) => {
      seen.push(`b:${e.exporter}`);
    });
    await bus.emit('export.complete', { exporter: 'opf', path: '/x' });
    expect(seen).toEqual(['a:opf', 'b:opf']);
  });

  it('logs a throwing handler and still runs the others', async () => {
    const logger = silentLogger();
    const error = vi.spyOn(logger, 'error');
    const bus = new EventBus(logger);
    const after = vi.fn();
    bus.on('item.applied', () => {
      throw new Error('boom');
    });
    bus.on('item.applied', async () => {
      throw new Error('async boom');
    });
    bus.on('item.applied', after);
    await expect(
      bus.emit('item.applied', { itemId: 'i', confidence: 1, changedFields: [] }),
    ).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalledTimes(2);
  });

  it('unsubscribes, and instances do not share handlers', async () => {
    const a = new EventBus();
    const b = new EventBus();
    const handler = vi.fn();
    const off = a.on('item.review', handler);
    await b.emit('item.review', { itemId: 'x', confidence: 0.7, reason: 'r' });
    expect(handler).not.toHaveBeenCalled();
    off();
    await a.emit('item.review', { itemId: 'x', confidence: 0.7, reason: 'r' });
    expect(handler).not.toHaveBeenCalled();
    expect(a.listenerCount('item.review')).toBe(0);
  });
});
