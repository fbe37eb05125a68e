import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeAbs, type FolderSpec, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createAbsClient } from '../../src/abs/client.js';
import { AbsSocketListener } from '../../src/abs/socket.js';
import { TokenManager } from '../../src/abs/tokens.js';
import type { AbsClient } from '../../src/abs/types.js';
import { type BridgeOptions, createBridge } from '../../src/app/bridge.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import type { Bridge } from '../../src/bridge/index.js';
import { type ConfigInput, ConfigSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/logging.js';

const OFF = { enabled: false };

/** A canned provider answer: what "the network" says about a title. */
export function cannedBook(title: string, extra: Record<string, unknown> = {}) {
  return {
    fields: {
      title,
      authors: [{ name: 'Canned Author' }],
      narrators: ['Canned Narrator'],
      publisher: 'Canned House',
      publishedYear: '2020',
      description: '<p>A canned <b>description</b>.</p><script>alert(1)</script>',
      genres: ['Fiction'],
      series: [{ name: 'Canned Series', sequence: '1' }],
      ...extra,
    },
    matchConfidence: 0.97,
  };
}

export interface Harness {
  fake: FakeAbs;
  root: string;
  client: AbsClient;
  runtime: Runtime;
  bridge: Bridge;
  /** Makes the folder on disk, then lets the fake's watcher report it (item_added). */
  addBook(spec: FolderSpec): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  responses?: Record<string, ReturnType<typeof cannedBook>>;
  config?: Partial<ConfigInput>;
  fake?: FakeAbs;
  root?: string;
  socket?: boolean;
  echoDelayMs?: number;
  storeMetadataWithItem?: boolean;
  bridge?: BridgeOptions;
  /** More providers beside the canned mock (e.g. a custom provider on a local server). */
  providers?: Partial<NonNullable<ConfigInput['providers']>>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const root = opts.root ?? (await mkdtemp(path.join(tmpdir(), 'bridge-e2e-')));
  const fake =
    opts.fake ??
    (await startFakeAbs({
      items: [],
      libraryRoot: root,
      echoDelayMs: opts.echoDelayMs ?? 50,
      storeMetadataWithItem: opts.storeMetadataWithItem ?? false,
    }));
  const config = ConfigSchema.parse({
    dataDir: root,
    cache: { url: 'memory://' },
    pathMappings: [{ abs: '/audiobooks', local: root }],
    ...opts.config,
    providers: {
      audible: OFF,
      audnexus: OFF,
      openlibrary: OFF,
      googlebooks: OFF,
      itunes: OFF,
      mock: [{ id: 'canned', responses: opts.responses ?? {} }],
      ...opts.providers,
    },
    abs: { url: fake.url, apiKey: fake.apiKey, username: fake.username, password: fake.password },
  });
  const logger = silentLogger();
  const runtime = await createRuntime(config, logger);
  const client = createAbsClient({ url: fake.url, token: fake.apiKey, maxAttempts: 2, initialDelayMs: 50 });
  const listener =
    opts.socket === false
      ? undefined
      : new AbsSocketListener({
          url: fake.origin,
          tokens: new TokenManager({ client, username: fake.username, password: fake.password }),
          reconnectDelayMs: 100,
          reconnectDelayMaxMs: 500,
        });
  const bridge = await createBridge(
    { runtime, abs: client, logger, ...(listener ? { listener } : {}) },
    { catchUpIntervalMs: 60_000, pollIntervalMs: 200, ...opts.bridge },
  );
  return {
    fake,
    root,
    client,
    runtime,
    bridge,
    async addBook(spec) {
      const rel = spec.relPath ?? `${spec.author ?? 'Unknown Author'}/${spec.title}`;
      await mkdir(path.join(root, rel), { recursive: true });
      return fake.addItem(spec).id;
    },
    async close() {
      await bridge.stop();
      await runtime.close();
      if (!opts.fake) await fake.stop();
      if (!opts.root) await rm(root, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` is true (bounded). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
