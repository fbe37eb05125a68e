/**
 * Runs a bench's bridge side the way users run the compiled bridge: bundled with esbuild (npm
 * packages stay external) and forked under plain `node` with the Dockerfile's NODE_OPTIONS, in its
 * own process, so its CPU and RSS are the bridge's alone and not tsx's loader or the bench's mocks.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles `bench/<name>.ts` into tmp/bench/<name>.mjs; returns the bundle's path. */
export async function bundleBenchScript(name: string): Promise<string> {
  const outdir = path.join(here, '..', 'tmp', 'bench');
  await mkdir(outdir, { recursive: true });
  const outfile = path.join(outdir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(here, `${name}.ts`)],
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
 * read from there so the bench measures under the same heap limit users get.
 */
export async function productionNodeOptions(): Promise<string> {
  const dockerfile = await readFile(path.join(here, '..', 'Dockerfile'), 'utf8');
  const match = /NODE_OPTIONS=("?)([^"\n\\]+)\1/.exec(dockerfile);
  if (!match?.[2]) throw new Error('bench: no NODE_OPTIONS=… in the Dockerfile');
  return match[2].trim();
}

/**
 * Forks a bundled bench script under plain node (no tsx loader inherited) with production flags;
 * BENCH_NODE_OPTIONS adds flags of one's own (a `--require` instrument, `--cpu-prof`).
 */
export async function forkBundled(bundle: string): Promise<ChildProcess> {
  const extra = process.env.BENCH_NODE_OPTIONS ? ` ${process.env.BENCH_NODE_OPTIONS}` : '';
  return fork(bundle, [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: `${await productionNodeOptions()}${extra}` },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Sends one request to a forked script and waits for its `result` (or `error`) message. */
export function askOnce<T>(child: ChildProcess, request: unknown, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${label}: process exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (m: { type: string; result?: T; message?: string }) => {
      child.off('exit', onExit);
      if (m.type === 'result' && m.result !== undefined) resolve(m.result);
      else reject(new Error(`${label}: ${m.message ?? 'no result'}`));
    });
    child.send(request as Parameters<ChildProcess['send']>[0]);
  });
}
