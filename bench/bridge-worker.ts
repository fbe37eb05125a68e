/**
 * The bridge side of `npm run bench bridge`, run by bench/bridge.bench.ts as bundled JavaScript
 * under plain `node` (as users run the compiled bridge, so RSS is not inflated by tsx's loader).
 * It starts the fake ABS and two ABS-custom-protocol providers (100 ms ± 20 ms latency, 429 above
 * their rate limit) in a child process, then runs the real runtime (boundary rate limiter, cache,
 * aggregator) and the real bridge with SQLite state and sidecars.
 * Phases: cold backfill of N items, warm backfill (cache), single new items over the socket.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAbsClient } from '../src/abs/client.js';
import { AbsSocketListener } from '../src/abs/socket.js';
import { TokenManager } from '../src/abs/tokens.js';
import { createBridge } from '../src/app/bridge.js';
import { createRuntime } from '../src/app/runtime.js';
import { openStateStore } from '../src/bridge/state/state-store.js';
import { ConfigSchema } from '../src/config/schema.js';
import { silentLogger } from '../src/logging.js';
import { JITTER_MS, LATENCY_MS, LIMITS, type ServerMessage } from './bridge-protocol.js';

interface Ready {
  type: 'ready';
  fake: {
    url: string;
    origin: string;
    apiKey: string;
    username: string;
    password: string;
    libraryId: string;
  };
  upstreamUrl: string;
}

/** Starts bench/bridge-servers.ts in a child process and talks to it over IPC. */
async function startServers(serversScript: string) {
  const child = fork(serversScript, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const ready = await next<Ready>();
  const ask = async <T>(m: ServerMessage): Promise<T> => {
    const reply = next<T>();
    child.send(m);
    return reply;
  };
  return { ready, ask, stop: () => child.send({ type: 'stop' } satisfies ServerMessage) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * With BENCH_BRIDGE_CPU_PROFILE=<dir>, each backfill phase is CPU-profiled into
 * `<dir>/<phase>.cpuprofile` (open in Chrome DevTools); otherwise `run` is just called.
 */
async function profiled<T>(phase: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_BRIDGE_CPU_PROFILE;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${phase}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** CPU time (user + system, all threads of this process) per item since `since`, in ms. */
function cpuMsPerItem(since: NodeJS.CpuUsage, items: number): number {
  const used = process.cpuUsage(since);
  return +((used.user + used.system) / 1000 / items).toFixed(2);
}

export interface WorkerOptions {
  n: number;
  singles: number;
  /** Path of bench/bridge-servers.ts (run with tsx in its own process). */
  serversScript: string;
  cacheUrl?: string;
  stateUrl?: string;
}

async function bridgeBench(opts: WorkerOptions): Promise<Record<string, unknown>> {
  const n = opts.n;
  const root = await mkdtemp(path.join(tmpdir(), 'bridge-bench-'));
  // Baseline: this process after loading everything.
  const baselineRss = process.memoryUsage().rss;
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const servers = await startServers(opts.serversScript);
  const { fake, upstreamUrl } = servers.ready;
  const off = { enabled: false };
  const config = ConfigSchema.parse({
    dataDir: root,
    logging: { level: 'silent' },
    cache: { url: opts.cacheUrl ?? `sqlite://${path.join(root, 'cache.sqlite')}` },
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
        url: `${upstreamUrl}/${name}`,
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
  const store = openStateStore(opts.stateUrl ?? `sqlite://${path.join(root, 'state.sqlite')}`);
  const bridge = await createBridge({ runtime, abs: client, logger }, { store });

  const specs = Array.from({ length: n }, (_, i) => ({
    title: `Bench Book ${i}`,
    author: `Author ${i % 997}`,
    // The narrator the providers name: it confirms the edition, so the matcher applies (a title
    // and author alone stay in review since the edition rule, and a review writes nothing).
    narrator: 'Bench Narrator',
  }));
  for (const s of specs) await mkdir(path.join(root, s.author, s.title), { recursive: true });
  for (let i = 0; i < specs.length; i += 1000)
    await servers.ask({ type: 'addItems', specs: specs.slice(i, i + 1000) });
  console.log(
    `bridge bench: ${n} items, providers ${JSON.stringify(LIMITS)} req/s, latency ${LATENCY_MS}±${JITTER_MS} ms`,
  );

  let t = performance.now();
  let cpu = process.cpuUsage();
  const cold = await profiled('cold', () => bridge.backfill(fake.libraryId, 'all'));
  const coldSeconds = (performance.now() - t) / 1000;
  const coldCpuMs = cpuMsPerItem(cpu, n);
  const bound = Math.min(...Object.values(LIMITS));
  const coldRate = n / coldSeconds;
  console.log(
    `cold: ${coldSeconds.toFixed(1)} s, ${coldRate.toFixed(1)} items/s (bound ${bound}/s, ratio ${(coldRate / bound).toFixed(2)}), decisions ${JSON.stringify(cold.decisions)}, surfaced ${surfaced429}, bridge CPU ${coldCpuMs} ms/item`,
  );

  t = performance.now();
  cpu = process.cpuUsage();
  const warm = await profiled('warm', () => bridge.backfill(fake.libraryId, 'all'));
  const warmSeconds = (performance.now() - t) / 1000;
  const warmCpuMs = cpuMsPerItem(cpu, n);
  console.log(
    `warm: ${warmSeconds.toFixed(1)} s, ${(n / warmSeconds).toFixed(0)} items/s, decisions ${JSON.stringify(warm.decisions)}, bridge CPU ${warmCpuMs} ms/item`,
  );
  await bridge.stop();

  // Single new items over the socket: time from ABS's item_added to item.applied.
  const tokens = new TokenManager({ client, username: fake.username, password: fake.password });
  const listener = new AbsSocketListener({ url: fake.origin, tokens });
  const live = await createBridge(
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
  const singles = opts.singles;
  for (let i = 0; i < singles; i += 1) {
    const spec = { title: `Live Book ${i}`, author: 'Live Author', narrator: 'Bench Narrator' };
    await mkdir(path.join(root, spec.author, spec.title), { recursive: true });
    const start = performance.now();
    const [id] = (await servers.ask<{ ids: string[] }>({ type: 'addItem', spec })).ids as [string];
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
  const mb = (b: number) => +(b / 2 ** 20).toFixed(0);
  console.log(
    `peak RSS ${mb(peakRss)} MB (baseline after imports ${mb(baselineRss)} MB, peak heap ${mb(peakHeap)} MB; bridge process only: fake ABS and providers run in a child)`,
  );

  await runtime.close();
  const upstream = await servers.ask<{ calls: Record<string, number>; tooMany: Record<string, number> }>({
    type: 'stats',
  });
  servers.stop();
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
      cpuMsPerItem: coldCpuMs,
    },
    warm: {
      seconds: +warmSeconds.toFixed(1),
      itemsPerSecond: +(n / warmSeconds).toFixed(0),
      decisions: warm.decisions,
      cpuMsPerItem: warmCpuMs,
    },
    latencyMs: {
      p50: +p50.toFixed(0),
      p95: +p95.toFixed(0),
      samples: singles,
      target: LATENCY_MS + JITTER_MS + 250,
    },
    peakRssMB: mb(peakRss),
    baselineRssMB: mb(baselineRss),
    peakHeapMB: mb(peakHeap),
    sidecars: config.bridge.sidecars,
  };
}

// Entry point: the bench parent sends the options and waits for one result message.
if (process.send) {
  process.once('message', async (opts: WorkerOptions) => {
    try {
      process.send?.({ type: 'result', result: await bridgeBench(opts) });
    } catch (error) {
      process.send?.({ type: 'error', message: (error as Error).stack ?? String(error) });
    }
    process.exit(0);
  });
}
