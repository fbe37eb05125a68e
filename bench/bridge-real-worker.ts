/**
 * The bridge side of `npm run bench bridge-real`: one `abs-bridge match --library <id> --all` run,
 * in its own process as users run it (bundled, plain node, the Dockerfile's NODE_OPTIONS; see
 * bench/node-process.ts). The bench process keeps the provider mock and the counting proxy, as a
 * user's providers are on other machines, so this process's CPU is the bridge's alone.
 * It reports what only the bridge sees; the bench adds what the wire, the disk and the mock saw.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createBridge } from '../src/app/bridge.js';
import { createRuntime } from '../src/app/runtime.js';
import { connectAbs } from '../src/app/service.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logging.js';

export interface RealRunRequest {
  configPath: string;
  libraryId: string;
  /** Where to write a CPU profile of the run (BENCH_REAL_PROFILE), if anywhere. */
  profileFile?: string;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The ABS client with each method's duration recorded (where a run's time goes). */
function timed<T extends object>(client: T, times: Record<string, number[]>): T {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(out instanceof Promise)) return out;
        return out.finally(() => {
          times[String(prop)] ??= [];
          times[String(prop)]?.push(performance.now() - started);
        });
      };
    },
  });
}

async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}

async function bridgeRun(request: RealRunRequest): Promise<Record<string, unknown>> {
  const config = loadConfig({ path: request.configPath, env: {} });
  const logger = createLogger({ level: config.logging.level });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const runtime = await createRuntime(config, logger);
  const absTimes: Record<string, number[]> = {};
  const abs = timed(connectAbs(config, logger).abs, absTimes);
  const bridge = await createBridge({ runtime, abs, logger });
  const fields: Record<string, number> = {};
  const timeouts: Record<string, number> = {};
  const rateLimited: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  const took = (provider: string, ms: number) => {
    durations[provider] ??= [];
    durations[provider].push(ms);
  };
  const offs = [
    runtime.events.on('provider.fetch.error', (e) => {
      took(e.provider, e.durationMs);
      if (e.error.code === 'TIMEOUT') timeouts[e.provider] = (timeouts[e.provider] ?? 0) + 1;
      if (e.error.code === 'RATE_LIMITED' || e.error.code === 'RATE_LIMIT_QUEUE_FULL')
        rateLimited[e.provider] = (rateLimited[e.provider] ?? 0) + 1;
    }),
    runtime.events.on('provider.fetch.success', (e) => took(e.provider, e.durationMs)),
  ];
  let report: Awaited<ReturnType<typeof bridge.backfill>>;
  try {
    report = await bridge.backfill(request.libraryId, 'all', (e) => {
      for (const c of e.outcome?.changes ?? []) fields[c.field] = (fields[c.field] ?? 0) + 1;
    });
  } finally {
    for (const off of offs) off();
    await bridge.stop();
    await runtime.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    books: report.total,
    seconds: round(seconds, 2),
    booksPerSecond: round(report.total / seconds),
    decisions: report.decisions,
    failed: report.failed,
    /** CPU of the bridge's process per book (all its threads), ms. */
    cpuMsPerBook: round((cpu.user + cpu.system) / 1000 / report.total, 1),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    providerTimeouts: timeouts,
    providerRateLimited: rateLimited,
    /** Per provider: mean and p95 of a lookup's duration (cache hits included), ms. */
    lookupMs: Object.fromEntries(
      Object.entries(durations).map(([p, ds]) => {
        const sorted = [...ds].sort((a, b) => a - b);
        const mean = ds.reduce((a, b) => a + b, 0) / ds.length;
        return [
          p,
          { mean: Math.round(mean), p95: Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0) },
        ];
      }),
    ),
    /** ABS client calls: count and mean ms. */
    absCalls: Object.fromEntries(
      Object.entries(absTimes).map(([m, ts]) => [
        m,
        { n: ts.length, meanMs: Math.round(ts.reduce((a, b) => a + b, 0) / ts.length) },
      ]),
    ),
    concurrency: runtime.concurrency.value,
    /** Books each field was written for. */
    fieldsWritten: fields,
  };
}

// Entry point: the bench sends one request and waits for one result message.
if (process.send) {
  process.once('message', async (request: RealRunRequest) => {
    try {
      process.send?.({
        type: 'result',
        result: await profiled(request.profileFile, () => bridgeRun(request)),
      });
    } catch (error) {
      process.send?.({ type: 'error', message: (error as Error).stack ?? String(error) });
    }
    process.exit(0);
  });
}
