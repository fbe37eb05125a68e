/**
 * Bridge benchmark against a REAL Audiobookshelf 2.36 (`npm run bench bridge-real`): the server
 * from ../shared/abs-server (its own instance on port REAL_ABS_PORT + 2, 13393 by default, never the test suite's), a generated
 * library of tagged mp3 books, and the catalogue provider mock (Audible-shaped + ABS custom-provider
 * protocol) at 100 ms latency. Measured, each on a fresh library of the same books:
 *  (a) ABS's own batch Quick Match with the mock registered as one custom provider;
 *  (b) the bridge, cold, through that same single custom provider, then a re-run;
 *  (c) the bridge, cold, with the Audible mock + the custom provider, then a re-run.
 * A re-run over the unchanged library is counted on the wire (PATCHes through the counting proxy)
 * and on disk (files whose size or mtime changed). Provider calls are counted by the mock.
 * BENCH_REAL_N scales the library (default 200), BENCH_REAL_LATENCY_MS the mock (100).
 * The bridge runs as `abs-bridge match --library <id> --all` does, in its own process (bundled, plain
 * node, the Dockerfile's flags; its start-up is not timed); the mock and the proxy stay in this one,
 * as a user's providers are on other machines.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { io } from 'socket.io-client';
import { changedFiles, snapshotFiles } from '../test/real-abs/harness/files.js';
import {
  ensureRealAbs,
  REAL_ABS_PORT,
  type RealAbs,
  separateInstance,
} from '../test/real-abs/harness/server.js';
import { createWorld, type World } from '../test/real-abs/harness/world.js';
import type { RealRunRequest } from './bridge-real-worker.js';
import { askOnce, bundleBenchScript, forkBundled } from './node-process.js';

const N = Number(process.env.BENCH_REAL_N ?? 200);
const LATENCY_MS = Number(process.env.BENCH_REAL_LATENCY_MS ?? 100);
const SEED = 41;
/** BENCH_REAL_ONLY=quick,single,defaults,limits,abswrite picks scenarios (default: all). */
const ONLY = (process.env.BENCH_REAL_ONLY ?? 'quick,single,defaults,limits,abswrite').split(',');
/** PATCHes in flight at once in the `abswrite` scenario (ABS's own write capacity). */
const WRITE_CONCURRENCIES = (process.env.BENCH_REAL_WRITE_CONCURRENCY ?? '1,4,32').split(',').map(Number);
/** Books per batch update in the `abswrite` scenario. */
const BATCH_SIZES = (process.env.BENCH_REAL_BATCH_SIZES ?? '10,50').split(',').map(Number);
/** Books of the `limits` scenario (default 40: at 1 book/s it takes ~40 s). */
const LIMITS_N = Number(process.env.BENCH_REAL_LIMITS_N ?? 40);
/** The project's default limits for Audible and a custom provider (config/schema.ts). */
const DEFAULT_LIMIT = { perMinute: 60, burst: 5 };
const off = { enabled: false };
/** BENCH_REAL_CONCURRENCY sets bridge.concurrency (default: the bridge's own default). */
const CONCURRENCY = process.env.BENCH_REAL_CONCURRENCY
  ? { bridge: { catchUpIntervalSeconds: 3600, concurrency: Number(process.env.BENCH_REAL_CONCURRENCY) } }
  : {};

/** Wait before a library is deleted, so ABS's watcher has rescanned what the bridge wrote. */
const SETTLE_MS = Number(process.env.BENCH_REAL_SETTLE_MS ?? 15_000);

type Calls = Record<string, number>;

function perBook(calls: Calls, books: number): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, round(v / books, 2)]));
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function delta(after: Calls, before: Calls): Calls {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/** A user JWT for ABS's socket (it does not take API keys). */
async function userToken(abs: RealAbs): Promise<string> {
  const res = await fetch(`${abs.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-return-tokens': 'true' },
    body: JSON.stringify({ username: abs.username, password: abs.password }),
  });
  const body = (await res.json()) as { user: { accessToken?: string; token?: string } };
  const token = body.user.accessToken ?? body.user.token;
  if (!token) throw new Error('bridge-real bench: ABS login returned no token');
  return token;
}

/** (a) ABS's batch Quick Match over every item, one custom provider; done at `batch_quickmatch_complete`. */
async function absQuickMatch(abs: RealAbs, world: World): Promise<Record<string, unknown>> {
  const token = await userToken(abs);
  const socket = io(abs.url, { transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('init', () => resolve());
    socket.once('auth_failed', () => reject(new Error('socket auth failed')));
    socket.on('connect', () => socket.emit('auth', token));
  });
  const created = await world.api.call<{ provider: { id: string } }>(
    'POST',
    '/api/custom-metadata-providers',
    {
      name: `bench-${path.basename(world.dir)}`,
      url: world.catalogue.urls.custom,
      mediaType: 'book',
      authHeaderValue: 'bench',
    },
  );
  try {
    const ids = (await world.api.items(world.libraryId)).map((i) => i.id);
    const before = { ...world.catalogue.calls };
    const done = new Promise<{ updates: number; unmatched: number }>((resolve) =>
      socket.once('batch_quickmatch_complete', resolve),
    );
    const started = performance.now();
    await world.api.call('POST', '/api/items/batch/quickmatch', {
      options: { provider: `custom-${created.provider.id}`, overrideDefaults: true },
      libraryItemIds: ids,
    });
    const result = await done;
    const seconds = (performance.now() - started) / 1000;
    const calls = delta(world.catalogue.calls, before);
    return {
      books: ids.length,
      seconds: round(seconds, 2),
      booksPerSecond: round(ids.length / seconds),
      updated: result.updates,
      unmatched: result.unmatched,
      callsPerBook: perBook(calls, ids.length),
    };
  } finally {
    socket.close();
    await world.api.call('DELETE', `/api/custom-metadata-providers/${created.provider.id}`).catch(() => {});
  }
}

let runs = 0;
let bundle: Promise<string> | undefined;

/**
 * One `match --library <id> --all` in the bridge's own process (bench/bridge-real-worker.ts);
 * what it cost on the wire, on disk and upstream. BENCH_REAL_PROFILE=<dir>: a CPU profile of the
 * bridge's process for every run, written there.
 */
async function bridgeRun(world: World): Promise<Record<string, unknown>> {
  runs += 1;
  bundle ??= bundleBenchScript('bridge-real-worker');
  const worker = await forkBundled(await bundle);
  const files = await snapshotFiles(world.root);
  const callsBefore = { ...world.catalogue.calls };
  world.proxy.reset();
  const dir = process.env.BENCH_REAL_PROFILE;
  const request: RealRunRequest = {
    configPath: world.configPath,
    libraryId: world.libraryId,
    ...(dir ? { profileFile: path.join(dir, `bridge-run-${runs}.cpuprofile`) } : {}),
  };
  const absCpu = absCpuMs(world.abs);
  const benchCpu = process.cpuUsage();
  const run = await askOnce<Record<string, unknown>>(worker, request, 'bridge-real run');
  const books = run.books as number;
  const bench = process.cpuUsage(benchCpu);
  const calls = delta(world.catalogue.calls, callsBefore);
  const writes = world.proxy.writes();
  return {
    ...run,
    patches: writes.filter((w) => w.startsWith('PATCH')).length,
    /** Writes of many books in one request (`POST /api/items/batch/update`). */
    batchUpdates: writes.filter((w) => w.endsWith('/batch/update')).length,
    absWrites: writes.length,
    absRequests: world.proxy.log.length,
    absRequestsPerBook: round(world.proxy.log.length / books, 2),
    filesWritten: changedFiles(files, await snapshotFiles(world.root)).length,
    callsPerBook: perBook(calls, books),
    /** Where the two cores went: ABS's process, and this one (provider mock + counting proxy). */
    absCpuMsPerBook: round((absCpuMs(world.abs) - absCpu) / books, 1),
    mockAndProxyCpuMsPerBook: round((bench.user + bench.system) / 1000 / books, 1),
  };
}

/** CPU time ABS's process has used so far, ms (Linux /proc; its start-up included). */
function absCpuMs(abs: RealAbs): number {
  const pid = readFileSync(path.join(abs.dir, 'abs.pid'), 'utf8').trim();
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function withWorld<T>(
  abs: RealAbs,
  name: string,
  config: Record<string, unknown>,
  fn: (world: World) => Promise<T>,
): Promise<T> {
  const world = await createWorld(abs, {
    name,
    books: N,
    seed: SEED,
    latencyMs: LATENCY_MS,
    config: { ...CONCURRENCY, ...config },
  });
  try {
    return await fn(world);
  } finally {
    // ABS rescans the folders whose files the bridge added a few seconds later (its watcher);
    // deleting the library under such a scan makes ABS 2.36 insert a series into a library that is
    // gone (FOREIGN KEY constraint failed) and exit. A re-run that skips every book ends before that.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await world.close();
  }
}

function line(label: string, r: Record<string, unknown>): void {
  const extra = Object.entries(r)
    .filter(([k]) => !['books', 'seconds', 'booksPerSecond'].includes(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  console.log(`${label.padEnd(34)} ${String(r.booksPerSecond).padStart(6)} books/s  ${r.seconds}s  ${extra}`);
}

export default async function bridgeRealBench(): Promise<Record<string, unknown>> {
  const abs = await ensureRealAbs(separateInstance('bench', REAL_ABS_PORT + 2));
  console.log(`real ABS at ${abs.url}; ${N} books; provider mock latency ${LATENCY_MS} ms`);
  const out: Record<string, unknown> = { books: N, latencyMs: LATENCY_MS };

  const coldAndRerun = (label: string) => async (w: World) => {
    const cold = await bridgeRun(w);
    line(`(${label === 'custom only' ? 'b' : 'c'}) bridge cold, ${label}`, cold);
    const rerun = await bridgeRun(w);
    line(`(d) bridge re-run, ${label}`, rerun);
    return { cold, rerun };
  };
  if (ONLY.includes('quick')) {
    const quick = await withWorld(abs, 'bench-quickmatch', {}, (w) => absQuickMatch(abs, w));
    line('(a) ABS batch Quick Match, custom', quick);
    out.absQuickMatch = quick;
  }
  if (ONLY.includes('single'))
    out.bridgeSingle = await withWorld(
      abs,
      'bench-single',
      { providers: { audible: off } },
      coldAndRerun('custom only'),
    );
  if (ONLY.includes('defaults'))
    out.bridgeDefaults = await withWorld(abs, 'bench-defaults', {}, coldAndRerun('audible + custom'));

  // (e) The providers' real-world default limits (60/min each, 10 s timeouts): the run should
  // follow the binding provider's limit with no timeout and no 429.
  if (ONLY.includes('limits')) {
    const world = await createWorld(abs, {
      name: 'bench-limits',
      books: LIMITS_N,
      seed: SEED,
      latencyMs: LATENCY_MS,
      config: { ...CONCURRENCY },
    });
    try {
      const providers = world.config.providers as {
        audible: Record<string, unknown>;
        custom: Record<string, unknown>[];
      };
      providers.audible = { ...providers.audible, rateLimit: DEFAULT_LIMIT, timeoutMs: 10_000 };
      providers.custom = providers.custom.map((c) => ({ ...c, rateLimit: DEFAULT_LIMIT, timeoutMs: 10_000 }));
      await writeFile(world.configPath, JSON.stringify(world.config, null, 2));
      const cold = await bridgeRun(world);
      // Bound: the stricter provider's rate ÷ its calls per book, plus the bucket's burst at the start.
      const per = cold.callsPerBook as Record<string, number>;
      const boundPerSecond = Math.min(
        ...Object.values(per)
          .filter((k) => k > 0)
          .map((k) => 1 / k),
      );
      const boundSeconds = Math.max(0, (LIMITS_N - DEFAULT_LIMIT.burst) / boundPerSecond);
      out.bridgeLimits = {
        ...cold,
        boundBooksPerSecond: round(LIMITS_N / boundSeconds, 2),
        ofBound: round(boundSeconds / (cold.seconds as number), 2),
      };
      line('(e) bridge cold, default limits', out.bridgeLimits as Record<string, unknown>);
    } finally {
      await world.close();
    }
  }

  // (f) ABS's own write capacity: a PATCH that changes values of every book, sent straight to ABS
  // (no bridge, no provider) with c PATCHes in flight, then as batch updates of n books (each
  // followed by the batch read the bridge sends after it), two in flight. No client applies faster.
  if (ONLY.includes('abswrite'))
    out.absWrite = await withWorld(abs, 'bench-abswrite', {}, async (world) => {
      const ids = (await world.api.items(world.libraryId)).map((i) => i.id);
      const body = (tag: string, i: number) => ({
        metadata: {
          publisher: `Bench Press ${tag}`,
          narrators: [`Narrator ${i % 7}`],
          genres: ['Bench', tag],
        },
      });
      const rows: Record<string, unknown>[] = [];
      const measure = async (label: string, inFlight: number, jobs: (() => Promise<unknown>)[]) => {
        const ms: number[] = [];
        let next = 0;
        const cpuBefore = absCpuMs(world.abs);
        const started = performance.now();
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < jobs.length) {
              const job = jobs[next++] as () => Promise<unknown>;
              const t = performance.now();
              await job();
              ms.push(performance.now() - t);
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        const sorted = [...ms].sort((a, b) => a - b);
        const row = {
          write: label,
          inFlight,
          books: ids.length,
          seconds: round(seconds, 2),
          booksPerSecond: round(ids.length / seconds),
          absCpuMsPerBook: round((absCpuMs(world.abs) - cpuBefore) / ids.length, 1),
          requestMs: {
            p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
            p95: Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
          },
        };
        line(`(f) ABS ${label}, ${inFlight} in flight`, row);
        rows.push(row);
        await new Promise((r) => setTimeout(r, 1000));
      };
      for (const c of WRITE_CONCURRENCIES)
        await measure(
          'PATCH per book',
          c,
          ids.map((id, i) => () => world.api.call('PATCH', `/api/items/${id}/media`, body(`p${c}`, i))),
        );
      for (const n of BATCH_SIZES) {
        const chunks = Array.from({ length: Math.ceil(ids.length / n) }, (_, k) =>
          ids.slice(k * n, k * n + n),
        );
        await measure(
          `batch update of ${n} + batch read`,
          2,
          chunks.map((chunk) => async () => {
            const entries = chunk.map((id) => ({ id, mediaPayload: body(`b${n}`, ids.indexOf(id)) }));
            await world.api.call('POST', '/api/items/batch/update', entries);
            await world.api.call('POST', '/api/items/batch/get', { libraryItemIds: chunk });
          }),
        );
      }
      return rows;
    });

  const rate = (k: string) =>
    ((out[k] as { cold?: { booksPerSecond: number } } | undefined)?.cold?.booksPerSecond ?? 0) /
    ((out.absQuickMatch as { booksPerSecond?: number } | undefined)?.booksPerSecond ?? Number.NaN);
  out.ratios = {
    singleColdVsAbs: round(rate('bridgeSingle'), 2),
    defaultsColdVsAbs: round(rate('bridgeDefaults'), 2),
  };
  console.log(`ratios vs ABS Quick Match: ${JSON.stringify(out.ratios)}`);
  if (process.env.BENCH_REAL_OUT) await writeFile(process.env.BENCH_REAL_OUT, JSON.stringify(out, null, 2));
  return out;
}
