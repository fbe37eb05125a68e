/**
 * One scenario's world: a fresh library folder of generated books in the real ABS, the provider
 * mock that knows those books, a counting proxy in front of ABS, and a bridge config pointing at
 * them. The bridge runs as the user runs it: the CLI in a child process, or the service in-process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type CatalogueBook,
  type CatalogueServer,
  startCatalogueServer,
} from '../../../mocks/providers/catalogue-server.js';
import type { BridgeOptions } from '../../../src/app/bridge.js';
import { type Service, startService } from '../../../src/app/service.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/logging.js';
import { type AbsApi, absApi } from './api.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';
import { generateBooks, writeLibrary } from './library.js';
import type { RealAbs } from './server.js';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface World {
  abs: RealAbs;
  api: AbsApi;
  dir: string;
  root: string;
  libraryId: string;
  books: CatalogueBook[];
  catalogue: CatalogueServer;
  proxy: CountingProxy;
  configPath: string;
  config: Record<string, unknown>;
  /** Runs `abs-bridge <args>` as a child process; never throws on a non-zero exit. */
  cli(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** The config as the bridge reads it (the shell's ABS_* variables ignored). */
  load(): Config;
  /** `abs-bridge run` in this process (HTTP on a free port); stop it with `service.stop()`. */
  startService(options?: BridgeOptions): Promise<Service>;
  /** Adds books to the folder (not yet scanned). */
  addBooks(books: CatalogueBook[]): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  name: string;
  books: number;
  seed: number;
  /** Deep-merged over the default bridge config. */
  config?: Record<string, unknown>;
  /** Scan the library once the files are written. @default true */
  scan?: boolean;
  /** Books the provider mock knows beyond the library's (added to the folder later). */
  extraCatalogue?: CatalogueBook[];
  /** Provider mock latency. @default 0 */
  latencyMs?: number;
  /** Changes the generated books before they are written (shared series, authors…). */
  customize?: (books: CatalogueBook[]) => CatalogueBook[];
  /** A genre tag written into each book's audio (none by default). */
  genreTag?: (book: CatalogueBook) => string | undefined;
  /** How the providers spell the books, when not as the files' tags do. */
  asProvidersSpell?: (books: CatalogueBook[]) => CatalogueBook[];
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? merge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** The environment a child CLI gets: the developer's ABS_* variables must not reach it. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ABS_')));
}

export async function createWorld(abs: RealAbs, opts: WorldOptions): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), `real-abs-${opts.name}-`));
  const root = path.join(dir, 'library');
  const generated = generateBooks(opts.books, opts.seed);
  const books = opts.customize ? opts.customize(generated) : generated;
  await writeLibrary(root, books, opts.genreTag);
  const api = absApi(abs);
  const libraryId = await api.createLibrary(`${opts.name}-${path.basename(dir)}`, root);
  const served = opts.asProvidersSpell ? opts.asProvidersSpell(books) : books;
  const catalogue = await startCatalogueServer([...served, ...(opts.extraCatalogue ?? [])], {
    latencyMs: opts.latencyMs ?? 0,
  });
  const proxy = await startCountingProxy(abs.url);
  const off = { enabled: false };
  const config = merge(
    {
      dataDir: path.join(dir, 'data'),
      logging: { level: 'warn' },
      cache: { url: `sqlite://${path.join(dir, 'data', 'cache.sqlite')}` },
      abs: {
        url: proxy.url,
        apiKey: abs.apiKey,
        username: abs.username,
        password: abs.password,
        libraryIds: [libraryId],
      },
      providers: {
        // A local mock: no upstream limit to respect (the defaults would queue a backfill).
        audible: {
          baseUrl: catalogue.urls.audible,
          timeoutMs: 3000,
          rateLimit: { perMinute: 6000, burst: 50 },
        },
        audnexus: off,
        hardcover: off,
        openlibrary: off,
        googlebooks: off,
        itunes: off,
        custom: [
          {
            name: 'catalogue',
            url: catalogue.urls.custom,
            weight: 0.8,
            timeoutMs: 3000,
            rateLimit: { perMinute: 6000, burst: 50 },
          },
        ],
      },
      bridge: { catchUpIntervalSeconds: 3600 },
      http: { port: 0 },
    },
    opts.config ?? {},
  );
  const configPath = path.join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  if (opts.scan !== false) {
    await api.scan(libraryId);
    // ABS's scan of a large library on busy cores can take minutes (200 books: 2 min at load 20).
    await api.waitForItems(libraryId, books.length, Math.max(120_000, books.length * 1500));
  }
  return {
    abs,
    api,
    dir,
    root,
    libraryId,
    books,
    catalogue,
    proxy,
    configPath,
    config,
    async cli(...args) {
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          ['--import', 'tsx', path.join(repo, 'src/cli/main.ts'), '-c', configPath, ...args],
          { cwd: repo, env: childEnv(), maxBuffer: 64 << 20, timeout: 600_000 },
        );
        return { code: 0, out: stdout, err: stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : 1, out: e.stdout ?? '', err: e.stderr ?? '' };
      }
    },
    load: () => loadConfig({ path: configPath, env: {} }),
    startService(options) {
      const config = loadConfig({ path: configPath, env: {} });
      const logger = createLogger({ level: config.logging.level });
      return startService(config, logger, options ? { bridge: options } : {});
    },
    addBooks: (more) => writeLibrary(root, more),
    async close() {
      await proxy.close();
      await catalogue.close();
      await api.call('DELETE', `/api/libraries/${libraryId}`).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON lines a `--json` CLI run printed. */
export function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}
