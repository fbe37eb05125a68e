import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
afterEach(async () => h?.server.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (what prom-client writes) into samples. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('/healthz and /readyz', () => {
  it('is live, and ready when ABS, the socket and every probe are fine', async () => {
    h = await startHarness({ readiness: [{ name: 'cacheWritable', check: async () => true }] });
    expect((await h.server.app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    const ready = await h.server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      ready: true,
      checks: { absReachable: true, socketAuthenticated: true, cacheWritable: true },
    });
  });

  it('is not ready (503) when the socket failed auth or a probe throws, and says which', async () => {
    h = await startHarness({
      readiness: [
        {
          name: 'cacheWritable',
          check: async () => {
            throw new Error('EACCES');
          },
        },
      ],
    });
    h.service.statusValue.socket = 'auth_failed';
    const res = await h.server.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({
      absReachable: true,
      socketAuthenticated: false,
      cacheWritable: false,
    });
  });

  it('counts polling mode as ready (no socket credentials configured)', async () => {
    h = await startHarness();
    h.service.statusValue.socket = 'polling';
    expect((await h.server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});

describe('/metrics', () => {
  it('exposes decisions, provider latency, cache ratio, 429s, breaker state and queue depth', async () => {
    h = await startHarness();
    const { events } = h.service;
    await events.emit('cache.hit', { provider: 'audible', key: 'a' });
    await events.emit('cache.hit', { provider: 'audible', key: 'b' });
    await events.emit('cache.hit', { provider: 'audible', key: 'c' });
    await events.emit('cache.miss', { provider: 'audible', key: 'd' });
    await events.emit('provider.rate_limited', { provider: 'itunes', retryAfterMs: 1000 });
    await events.emit('provider.circuit.open', { provider: 'itunes' });
    await events.emit('provider.fetch.error', {
      provider: 'itunes',
      durationMs: 2000,
      error: { code: 'HTTP_429', message: 'slow down', retryable: true },
    });
    h.service.statusValue.queueDepth = 7;
    h.service.statusValue.running = 2;

    const res = await h.server.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const { samples, types } = parseExposition(res.body);
    // The harness processed three items: one applied, one to review, one rejected.
    expect(find(samples, 'abs_bridge_items_total', { decision: 'apply' })).toBe(1);
    expect(find(samples, 'abs_bridge_items_total', { decision: 'review' })).toBe(1);
    expect(types.get('abs_bridge_provider_latency_seconds')).toBe('histogram');
    expect(
      find(samples, 'abs_bridge_provider_latency_seconds_count', { provider: 'audible', outcome: 'found' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      find(samples, 'abs_bridge_provider_latency_seconds_bucket', {
        provider: 'itunes',
        outcome: 'error',
        le: '1',
      }),
    ).toBe(0);
    expect(find(samples, 'abs_bridge_cache_hit_ratio')).toBe(0.75);
    expect(find(samples, 'abs_bridge_provider_rate_limited_total', { provider: 'itunes' })).toBe(1);
    expect(find(samples, 'abs_bridge_provider_circuit_state', { provider: 'itunes' })).toBe(2);
    expect(find(samples, 'abs_bridge_queue_depth')).toBe(7);
    expect(find(samples, 'abs_bridge_queue_running')).toBe(2);
    expect(find(samples, 'abs_bridge_socket_connected')).toBe(1);

    await events.emit('provider.circuit.close', { provider: 'itunes' });
    const after = parseExposition((await h.server.app.inject({ url: '/metrics' })).body);
    expect(find(after.samples, 'abs_bridge_provider_circuit_state', { provider: 'itunes' })).toBe(0);
  });
});

describe('web page assets', () => {
  it('serves the page with a strict content security policy', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({ url: '/' });
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // Every script the page names is served as JavaScript (the page is several classic scripts).
    const scripts = [...res.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] as string);
    expect(scripts).toEqual([
      '/core.js',
      '/lists.js',
      '/item.js',
      '/review.js',
      '/actions.js',
      '/app.js',
      '/tidy.js',
    ]);
    for (const url of scripts) {
      const script = await h.server.app.inject({ url });
      expect(script.statusCode, url).toBe(200);
      expect(script.headers['content-type'], url).toContain('javascript');
    }
  });
});
