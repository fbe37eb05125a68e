/**
 * Bridge benchmark (`npm run bench bridge`): the fake ABS, two ABS-custom-protocol providers on
 * loopback with 100 ms ± 20 ms latency that answer 429 above their rate limit, the real runtime
 * (boundary rate limiter, cache, aggregator) and the real bridge with SQLite state and sidecars.
 * Phases: cold backfill of N items, warm backfill (cache), single new items over the socket.
 * BENCH_BRIDGE_N scales N (default 10,000); the report says which N ran.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeAbs } from '../mocks/fake-abs/index.js';
import { createAbsClient } from '../src/abs/client.js';
import { AbsSocketListener } from '../src/abs/socket.js';
import { TokenManager } from '../src/abs/tokens.js';
import { createRuntime } from '../src/app/runtime.js';
import { createBridge } from '../src/bridge/index.js';
import { openStateStore } from '../src/bridge/state-store.js';
import { ConfigSchema } from '../src/config/schema.js';
import { silentLogger } from '../src/logging.js';

const LATENCY_MS = 100;
const JITTER_MS = 20;
/** Requests per second each upstream allows (and the bridge is configured with). */
const LIMITS = { alpha: 150, beta: 200 };

interface Upstream {
  server: Server;
  url: string;
  calls: Record<string, number>;
  tooMany: Record<string, number>;
}

/** Token bucket per provider path; answers like an ABS custom metadata provider. */
async function startUpstream(): Promise<Upstream> {
  const calls: Record<string, number> = { alpha: 0, beta: 0 };
  const tooMany: Record<string, number> = { alpha: 0, beta: 0 };
  const buckets = Object.fromEntries(
    Object.entries(LIMITS).map(([k, rate]) => [
      k,
      { tokens: rate / 5, at: Date.now(), rate, burst: rate / 5 },
    ]),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.split('/')[1] ?? '';
    const bucket = buckets[name];
    if (!bucket) return void res.writeHead(404).end();
    const now = Date.now();
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate);
    bucket.at = now;
    // Upstreams tolerate a little burst beyond their advertised limit; past that, 429.
    if (bucket.tokens < -2) {
      tooMany[name] = (tooMany[name] ?? 0) + 1;
      return void res.writeHead(429, { 'retry-after': '1' }).end('Too Many Requests');
    }
    bucket.tokens -= 1;
    calls[name] = (calls[name] ?? 0) + 1;
    const title = url.searchParams.get('query') ?? '';
    const author = url.searchParams.get('author') ?? undefined;
    const body = JSON.stringify({
      matches: [
        {
          title,
          author,
          narrator: 'Bench Narrator',
          publisher: name === 'alpha' ? 'Alpha House' : 'Beta House',
          publishedYear: '2019',
          description: `<p>${title}: a benchmark book.</p>`,
          genres: ['Fiction'],
        },
      ],
    });
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      LATENCY_MS + (Math.random() * 2 - 1) * JITTER_MS,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, tooMany };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export default async function bridgeBench(): Promise<Record<string, unknown>> {
  const n = Number(process.env.BENCH_BRIDGE_N ?? 10_000);
  const root = await mkdtemp(path.join(tmpdir(), 'bridge-bench-'));
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const upstream = await startUpstream();
  // No libraryRoot: the fake's folder watcher is O(items) per file event, a cost of the fake
  // (real ABS uses chokidar), not of the bridge. Sidecars are still written to disk.
  const fake = await startFakeAbs({ items: [] });
  const off = { enabled: false };
  const config = ConfigSchema.parse({
    dataDir: root,
    logging: { level: 'silent' },
    cache: { url: process.env.BENCH_CACHE_URL ?? `sqlite://${path.join(root, 'cache.sqlite')}` },
    pathMappings: [{ abs: '/audiobooks', local: root }],
    abs: { url: fake.url, apiKey: fake.apiKey },
    bridge: { concurrency: 48 },
    providers: {
      audible: off,
      audnexus: off,
      openlibrary: off,
      googlebooks: off,
      itunes: off,
      local: { tags: { enabled: false }, libation: { enabled: false } },
      custom: Object.entries(LIMITS).map(([name, rate]) => ({
        name,
        url: `${upstream.url}/${name}`,
        rateLimit: { perMinute: rate * 60, burst: Math.max(1, Math.floor(rate / 10)) },
      })),
    },
  });
  const logger = silentLogger();
  const runtime = await createRuntime(config, logger);
  let surfaced429 = 0;
  runtime.events.on('provider.fetch.error', (e) => {
    if (/429|rate/i.test(`${e.error.code} ${e.error.message}`)) surfaced429 += 1;
  });
  const client = createAbsClient({ url: fake.url, token: fake.apiKey });
  const store = openStateStore(process.env.BENCH_STATE_URL ?? `sqlite://${path.join(root, 'state.sqlite')}`);
  const bridge = createBridge({ runtime, abs: client, logger }, { store });

  const specs = Array.from({ length: n }, (_, i) => ({
    title: `Bench Book ${i}`,
    author: `Author ${i % 997}`,
  }));
  for (const s of specs) await mkdir(path.join(root, s.author, s.title), { recursive: true });
  fake.addItems(specs);
  console.log(
    `bridge bench: ${n} items, providers ${JSON.stringify(LIMITS)} req/s, latency ${LATENCY_MS}±${JITTER_MS} ms`,
  );

  let t = performance.now();
  const cold = await bridge.backfill(fake.libraryId, 'all');
  const coldSeconds = (performance.now() - t) / 1000;
  const bound = Math.min(...Object.values(LIMITS));
  const coldRate = n / coldSeconds;
  console.log(
    `cold: ${coldSeconds.toFixed(1)} s, ${coldRate.toFixed(1)} items/s (bound ${bound}/s, ratio ${(coldRate / bound).toFixed(2)}), decisions ${JSON.stringify(cold.decisions)}, upstream 429s ${JSON.stringify(upstream.tooMany)}, surfaced ${surfaced429}`,
  );

  t = performance.now();
  const warm = await bridge.backfill(fake.libraryId, 'all');
  const warmSeconds = (performance.now() - t) / 1000;
  console.log(
    `warm: ${warmSeconds.toFixed(1)} s, ${(n / warmSeconds).toFixed(0)} items/s, decisions ${JSON.stringify(warm.decisions)}`,
  );
  await bridge.stop();

  // Single new items over the socket: time from ABS's item_added to item.applied.
  const tokens = new TokenManager({ client, username: fake.username, password: fake.password });
  const listener = new AbsSocketListener({ url: fake.origin, tokens });
  const live = createBridge(
    { runtime, abs: client, logger, listener },
    { store: openStateStore(`sqlite://${path.join(root, 'state.sqlite')}`) },
  );
  const appliedAt = new Map<string, number>();
  runtime.events.on('item.applied', (e) => {
    appliedAt.set(e.itemId, performance.now());
  });
  await live.start();
  while (live.status().socket !== 'connected') await new Promise((r) => setTimeout(r, 20));
  const latencies: number[] = [];
  const singles = Number(process.env.BENCH_BRIDGE_SINGLES ?? 40);
  for (let i = 0; i < singles; i += 1) {
    const spec = { title: `Live Book ${i}`, author: 'Live Author' };
    await mkdir(path.join(root, spec.author, spec.title), { recursive: true });
    const start = performance.now();
    const id = fake.addItem(spec).id;
    while (!appliedAt.has(id)) await new Promise((r) => setTimeout(r, 2));
    latencies.push((appliedAt.get(id) as number) - start);
    await new Promise((r) => setTimeout(r, 100));
  }
  await live.stop();
  clearInterval(sampler);
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  console.log(
    `event → applied: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${singles} items (target p95 ≤ ${LATENCY_MS + JITTER_MS + 250} ms)`,
  );
  console.log(
    `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (bridge, fake ABS and upstreams in one process)`,
  );

  await runtime.close();
  await fake.stop();
  await new Promise((r) => upstream.server.close(r));
  await rm(root, { recursive: true, force: true });
  return {
    items: n,
    cold: {
      seconds: +coldSeconds.toFixed(1),
      itemsPerSecond: +coldRate.toFixed(1),
      boundPerSecond: bound,
      ratio: +(coldRate / bound).toFixed(3),
      decisions: cold.decisions,
      upstream429: upstream.tooMany,
      surfaced429,
      upstreamCalls: upstream.calls,
    },
    warm: {
      seconds: +warmSeconds.toFixed(1),
      itemsPerSecond: +(n / warmSeconds).toFixed(0),
      decisions: warm.decisions,
    },
    latencyMs: {
      p50: +p50.toFixed(0),
      p95: +p95.toFixed(0),
      samples: singles,
      target: LATENCY_MS + JITTER_MS + 250,
    },
    peakRssMB: +(peakRss / 2 ** 20).toFixed(0),
    sidecars: config.bridge.sidecars,
  };
}
