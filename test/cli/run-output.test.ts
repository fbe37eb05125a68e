import { describe, expect, it } from 'vitest';
import { attachRunOutput } from '../../src/cli/run-output.js';
import { EventBus } from '../../src/events/bus.js';
import { formatLine, logFormat } from '../../src/logging.js';
import { captureLogger } from '../http/support/harness.js';

const messages = (lines: string[]) => lines.map((l) => JSON.parse(l) as { level: number; msg: string });

function setup() {
  const events = new EventBus();
  const { logger, lines } = captureLogger();
  const sources = { title: 'audible', narrators: 'audnexus', series: 'audible' };
  attachRunOutput({
    events,
    logger,
    getItem: async (itemId) => ({ itemId, updatedAt: '', history: [], result: { sources } as never }),
  });
  return { events, lines };
}

describe('run output: one line per book', () => {
  it('says what happened to each book, naming the providers and the confidence', async () => {
    const { events, lines } = setup();
    await events.emit('item.applied', {
      itemId: 'li_1',
      title: 'Project Hail Mary',
      confidence: 0.964,
      changedFields: ['title', 'narrators', 'series'],
    });
    await events.emit('item.review', {
      itemId: 'li_2',
      title: 'Dune',
      confidence: 0.85,
      reason: 'two editions differ only by narrator',
    });
    await events.emit('item.rejected', { itemId: 'li_3', confidence: 0.2, reason: 'no provider found it' });
    await events.emit('item.waiting', { itemId: 'li_4', title: 'Emma', reason: 'audible is down' });
    expect(messages(lines).map((m) => m.msg)).toEqual([
      'Project Hail Mary — applied 3 fields from audible+audnexus (0.96)',
      'Dune → review: two editions differ only by narrator (0.85)',
      'li_3 → not matched: no provider found it',
      'Emma → waiting: audible is down',
    ]);
    // Off a terminal the line stays JSON with the fields a log collector needs.
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      module: 'books',
      itemId: 'li_1',
      decision: 'apply',
    });
  });
});

describe('run output: provider outages', () => {
  const dnsError = {
    code: 'NETWORK_ERROR',
    message: 'audible: request failed (ENOTFOUND)',
    retryable: true,
  };

  it('warns once per outage with the real cause, and once when the provider answers again', async () => {
    const { events, lines } = setup();
    const fail = (error = dnsError) =>
      events.emit('provider.fetch.error', { provider: 'audible', durationMs: 5, error });
    await fail();
    await fail();
    await events.emit('provider.circuit.open', { provider: 'audible' });
    await fail({ code: 'CIRCUIT_OPEN', message: 'audible: circuit breaker is open', retryable: false });
    let out = messages(lines);
    expect(out).toHaveLength(1);
    expect(out[0]?.level).toBe(40);
    expect(out[0]?.msg).toMatch(/^provider audible is failing: DNS: host name not found \(ENOTFOUND\)/);
    await events.emit('provider.fetch.success', {
      provider: 'audible',
      durationMs: 5,
      cached: false,
      found: true,
    });
    await events.emit('provider.fetch.success', {
      provider: 'audible',
      durationMs: 5,
      cached: false,
      found: true,
    });
    out = messages(lines);
    expect(out).toHaveLength(2);
    expect(out[1]?.msg).toMatch(/^provider audible answers again/);
    await fail({ code: 'TIMEOUT', message: 'audible: no answer within 10000 ms', retryable: true });
    expect(messages(lines)[2]?.msg).toMatch(
      /^provider audible is failing: timeout: no answer within 10000 ms/,
    );
  });

  it('names a 429 and a refused key', async () => {
    const { events, lines } = setup();
    await events.emit('provider.rate_limited', { provider: 'audnexus', retryAfterMs: 30_000 });
    await events.emit('provider.fetch.error', {
      provider: 'hardcover',
      durationMs: 5,
      error: { code: 'AUTH_FAILED', message: 'hardcover: HTTP 401 invalid token', retryable: false },
    });
    expect(messages(lines).map((m) => m.msg)).toEqual([
      expect.stringMatching(/^provider audnexus is failing: rate limited \(HTTP 429\), asked to wait 30 s/),
      expect.stringMatching(
        /^provider hardcover is failing: refused the credentials: HTTP 401 invalid token/,
      ),
    ]);
  });
});

describe('log format', () => {
  it('is readable on a terminal and JSON elsewhere; ABS_BRIDGE_LOG_FORMAT decides when set', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ ABS_BRIDGE_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ ABS_BRIDGE_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('prints time, level, module, message, the error message and fields — the stack only at debug', () => {
    const time = new Date(2026, 11, 2, 0, 31, 5).getTime();
    const json = JSON.stringify({
      level: 50,
      time,
      module: 'bridge',
      msg: 'initial catch-up failed',
      err: { message: 'abs: GET /api/libraries failed (ECONNREFUSED)', stack: 'Error: x\n    at y (z.ts:1)' },
      itemId: 'li_1',
      note: 'two words',
    });
    expect(formatLine(json, false, false)).toBe(
      '00:31:05 ERROR [bridge] initial catch-up failed  — abs: GET /api/libraries failed (ECONNREFUSED)  itemId=li_1 note="two words"',
    );
    expect(formatLine(json, true, false)).toContain('\n    at y (z.ts:1)');
  });
});
