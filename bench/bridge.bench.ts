/**
 * Bridge benchmark (`npm run bench bridge`). Bundles bench/bridge-worker.ts (and the src it
 * imports; npm packages stay external) with esbuild and runs it under plain `node`, the way the
 * compiled bridge runs in production, so peak RSS measures the bridge and not tsx's loader.
 * BENCH_BRIDGE_N scales N (default 10,000), BENCH_BRIDGE_SINGLES the live-event samples (40);
 * BENCH_CACHE_URL / BENCH_STATE_URL switch the cache or state store (e.g. to Redis).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from './bridge-worker.js';
import { askOnce, bundleBenchScript, forkBundled, productionNodeOptions } from './node-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export default async function bridgeBench(): Promise<Record<string, unknown>> {
  console.log(
    `bridge worker runs with NODE_OPTIONS="${await productionNodeOptions()}" (as in the Dockerfile)`,
  );
  const worker = await forkBundled(await bundleBenchScript('bridge-worker'));
  const opts: WorkerOptions = {
    n: Number(process.env.BENCH_BRIDGE_N ?? 10_000),
    singles: Number(process.env.BENCH_BRIDGE_SINGLES ?? 40),
    serversScript: path.join(here, 'bridge-servers.ts'),
    ...(process.env.BENCH_CACHE_URL ? { cacheUrl: process.env.BENCH_CACHE_URL } : {}),
    ...(process.env.BENCH_STATE_URL ? { stateUrl: process.env.BENCH_STATE_URL } : {}),
  };
  return askOnce<Record<string, unknown>>(worker, opts, 'bridge bench');
}
