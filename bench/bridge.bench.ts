/**
 * Bridge benchmark (`npm run bench bridge`). Bundles bench/bridge-worker.ts (and the src it
 * imports; npm packages stay external) with esbuild and runs it under plain `node`, the way the
 * compiled bridge runs in production, so peak RSS measures the bridge and not tsx's loader.
 * BENCH_BRIDGE_N scales N (default 10,000), BENCH_BRIDGE_SINGLES the live-event samples (40);
 * BENCH_CACHE_URL / BENCH_STATE_URL switch the cache or state store (e.g. to Redis).
 */
import { fork } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WorkerOptions } from './bridge-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function bundleWorker(): Promise<string> {
  const outdir = path.join(here, '..', 'tmp', 'bench');
  await mkdir(outdir, { recursive: true });
  const outfile = path.join(outdir, 'bridge-worker.mjs');
  await build({
    entryPoints: [path.join(here, 'bridge-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The V8 flags the Docker image runs the bridge with (`ENV NODE_OPTIONS=…` in the Dockerfile),
 * read from there so the bench measures memory under the same heap limit users get.
 */
async function productionNodeOptions(): Promise<string> {
  const dockerfile = await readFile(path.join(here, '..', 'Dockerfile'), 'utf8');
  const match = /NODE_OPTIONS=("?)([^"\n\\]+)\1/.exec(dockerfile);
  if (!match?.[2]) throw new Error('bridge bench: no NODE_OPTIONS=… in the Dockerfile');
  return match[2].trim();
}

export default async function bridgeBench(): Promise<Record<string, unknown>> {
  const nodeOptions = await productionNodeOptions();
  console.log(`bridge worker runs with NODE_OPTIONS="${nodeOptions}" (as in the Dockerfile)`);
  // Plain node: without execArgv the child would inherit tsx's loader from this process.
  const worker = fork(await bundleWorker(), [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const opts: WorkerOptions = {
    n: Number(process.env.BENCH_BRIDGE_N ?? 10_000),
    singles: Number(process.env.BENCH_BRIDGE_SINGLES ?? 40),
    serversScript: path.join(here, 'bridge-servers.ts'),
    ...(process.env.BENCH_CACHE_URL ? { cacheUrl: process.env.BENCH_CACHE_URL } : {}),
    ...(process.env.BENCH_STATE_URL ? { stateUrl: process.env.BENCH_STATE_URL } : {}),
  };
  const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
    worker.once('message', (m: { type: string; result?: Record<string, unknown>; message?: string }) =>
      m.type === 'result' && m.result ? resolve(m.result) : reject(new Error(`bridge bench: ${m.message}`)),
    );
    worker.once('exit', (code) => reject(new Error(`bridge bench worker exited with ${code}`)));
  });
  worker.send(opts);
  return reply;
}
