import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApiKey } from './auth.js';
import { createHandler } from './http.js';
import { type FakeItem, fromRecorded, toExpanded, toPlain } from './model.js';
import { authRoutes } from './routes-auth.js';
import { itemRoutes } from './routes-items.js';
import { libraryRoutes } from './routes-libraries.js';
import {
  defaultLibrary,
  type FakeLibrary,
  type FolderSpec,
  loadRecordedItem,
  SEED_FIXTURES,
  syntheticSpec,
} from './seed.js';
import { attachSocket } from './socket.js';
import { FakeAbsState, type RequestLogEntry } from './state.js';
import { startWatcher } from './watcher.js';

export type { FakeItem } from './model.js';
export type { FakeLibrary, FolderSpec } from './seed.js';
export type { RequestLogEntry } from './state.js';

export interface FakeAbsOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** ROUTER_BASE_PATH, e.g. `/audiobookshelf`. Sockets at `<basePath>/socket.io` and the legacy `/socket.io`. */
  basePath?: string;
  /** Recorded ABS items (plain or expanded JSON). @default the six recorded test books */
  items?: Record<string, unknown>[];
  libraries?: FakeLibrary[];
  /** @default 3600 (ABS's ACCESS_TOKEN_EXPIRY) */
  accessTokenTtlSeconds?: number;
  /** @default 600 (REFRESH_TOKEN_GRACE_PERIOD) */
  refreshGraceSeconds?: number;
  /** Delay of the watcher's second item_updated after a new metadata.json. Real ABS: ~12 s. @default 50 */
  echoDelayMs?: number;
  /** ABS's server setting. @default false (as in ABS) */
  storeMetadataWithItem?: boolean;
  /** Local directory standing for `/audiobooks`; ABS's metadata.json writes land there. */
  libraryRoot?: string;
  /**
   * Watch libraryRoot like ABS's watcher: a file added to or removed from an item folder
   * (e.g. a sidecar the bridge creates) gives one item_updated after echoDelayMs. @default true
   */
  watcher?: boolean;
  /** @default 'root' / 'root-password' */
  username?: string;
  password?: string;
}

export interface FakeAbs {
  /** Server URL including the base path. */
  url: string;
  /** Server URL without the base path. */
  origin: string;
  port: number;
  basePath: string;
  state: FakeAbsState;
  username: string;
  password: string;
  /** An active API key created at start (REST only). */
  apiKey: string;
  libraryId: string;
  stop(): Promise<void>;
  /** Like an ABS restart: connections drop (clients see a transport close), state is kept. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** Creates an API key like `POST /api/api-keys` (`isActive` defaults to false!). */
  createApiKey(opts?: { name?: string; isActive?: boolean; expiresIn?: number }): string;
  /** The watcher finds a new folder: task_started, item_added, task_finished. */
  addItem(spec: FolderSpec): FakeItem;
  /** A library scan finds new folders: items_added in chunks of 10. */
  addItems(specsOrCount: FolderSpec[] | number): FakeItem[];
  /** A person edits the item in the web UI (same PATCH semantics; item_updated when effective). */
  userEdit(itemId: string, patch: Record<string, unknown>): boolean;
  /** The folder vanished: item_updated with isMissing true. */
  removeFolder(itemId: string): void;
  getItem(itemId: string): FakeItem | undefined;
  plainItem(itemId: string): Record<string, unknown> | undefined;
  expandedItem(itemId: string): Record<string, unknown> | undefined;
  /** Sends any event to authenticated sockets. */
  emit(event: string, payload: unknown): void;
  /** Media writes received, effective or not: PATCH /media requests and the items of batch updates. */
  readonly patchCount: number;
  /** Effective item changes (PATCH, chapters, cover, batch). */
  readonly changeCount: number;
  readonly requests: RequestLogEntry[];
}

/** Starts a fake ABS 2.36 (HTTP + a real socket.io server) on loopback. */
export async function startFakeAbs(options: FakeAbsOptions = {}): Promise<FakeAbs> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const state = new FakeAbsState({
    username: options.username ?? 'root',
    password: options.password ?? 'root-password',
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: 30 * 24 * 3600,
    refreshGraceSeconds: options.refreshGraceSeconds ?? 600,
    echoDelayMs: options.echoDelayMs ?? 50,
    storeMetadataWithItem: options.storeMetadataWithItem ?? false,
    ...(options.libraryRoot ? { libraryRoot: options.libraryRoot } : {}),
    watcher: Boolean(options.libraryRoot) && options.watcher !== false,
  });
  for (const lib of options.libraries ?? [defaultLibrary()]) state.libraries.set(lib.id, lib);
  const seeds = options.items?.map((raw) => fromRecorded(raw)) ?? SEED_FIXTURES.map(loadRecordedItem);
  for (const item of seeds) state.adopt(item);
  const firstLibrary = [...state.libraries.values()][0] as FakeLibrary;
  const handler = createHandler(
    state,
    [...authRoutes(), ...itemRoutes(), ...libraryRoutes(() => scanLibrary(state))],
    basePath,
  );

  let server: HttpServer;
  let closeSockets: () => Promise<void>;
  const sockets = new Set<Socket>();
  async function listen(port: number): Promise<number> {
    server = createServer((req, res) => void handler(req, res));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    closeSockets = attachSocket(server, state, basePath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }
  async function close(): Promise<void> {
    // Destroy raw connections first so clients see a transport close (not a clean server
    // disconnect, after which socket.io-client would not reconnect).
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closeSockets();
  }

  const port = await listen(options.port ?? 0);
  const stopWatcher =
    state.opts.watcher && options.libraryRoot ? startWatcher(state, options.libraryRoot) : () => {};
  const origin = `http://127.0.0.1:${port}`;
  const apiKey = createApiKey(state, { name: 'fake-bridge', isActive: true }).apiKey;

  const fake: FakeAbs = {
    url: `${origin}${basePath}`,
    origin,
    port,
    basePath,
    state,
    username: state.opts.username,
    password: state.opts.password,
    apiKey,
    libraryId: firstLibrary.id,
    async stop() {
      stopWatcher();
      state.clearTimers();
      await close();
    },
    async restart(opts = {}) {
      await close();
      if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
      await listen(port);
    },
    createApiKey: (o = {}) =>
      createApiKey(state, { name: o.name ?? `key-${randomUUID().slice(0, 8)}`, ...o }).apiKey,
    addItem: (spec) => watcherAdd(state, spec),
    addItems: (specs) => scanAdd(state, typeof specs === 'number' ? countSpecs(state, specs) : specs),
    userEdit(itemId, patch) {
      const item = state.items.get(itemId);
      if (!item) throw new Error(`fake ABS: no item ${itemId}`);
      return state.patchMedia(item, patch);
    },
    removeFolder(itemId) {
      const item = state.items.get(itemId);
      if (!item) throw new Error(`fake ABS: no item ${itemId}`);
      item.isMissing = true;
      item.updatedAt = Date.now();
      state.emitUpdated(item);
    },
    getItem: (id) => state.items.get(id),
    plainItem: (id) => mapItem(state.items.get(id), toPlain),
    expandedItem: (id) => mapItem(state.items.get(id), toExpanded),
    emit: (event, payload) => state.broadcast(event, payload),
    get patchCount() {
      return state.patchRequests;
    },
    get changeCount() {
      return state.effectivePatches;
    },
    get requests() {
      return state.requestLog;
    },
  };
  return fake;
}

function mapItem<T>(item: FakeItem | undefined, fn: (i: FakeItem) => T): T | undefined {
  return item ? fn(item) : undefined;
}

let syntheticCounter = 0;
function countSpecs(_state: FakeAbsState, n: number): FolderSpec[] {
  return Array.from({ length: n }, () => syntheticSpec(++syntheticCounter));
}

function firstLibraryOf(state: FakeAbsState, spec?: FolderSpec): FakeLibrary {
  const lib = (spec?.libraryId && state.libraries.get(spec.libraryId)) || [...state.libraries.values()][0];
  if (!lib) throw new Error('fake ABS: no library');
  return lib;
}

function task(lib: FakeLibrary, action: string, finished: boolean, scanResults?: Record<string, unknown>) {
  const now = Date.now();
  return {
    id: randomUUID(),
    action,
    data: {
      libraryId: lib.id,
      libraryName: lib.name,
      libraryMediaType: lib.mediaType,
      ...(scanResults ? { scanResults } : {}),
    },
    title: `Scanning "${lib.name}" library`,
    isFailed: false,
    isFinished: finished,
    startedAt: now,
    ...(finished ? { finishedAt: now } : {}),
  };
}

function watcherAdd(state: FakeAbsState, spec: FolderSpec): FakeItem {
  const lib = firstLibraryOf(state, spec);
  state.broadcast('task_started', task(lib, 'watcher-scan', false));
  const item = state.newItem(spec, lib);
  state.broadcast('item_added', toExpanded(item));
  state.broadcast(
    'task_finished',
    task(lib, 'watcher-scan', true, { added: 1, updated: 0, removed: 0, text: '1 added' }),
  );
  return item;
}

function scanAdd(state: FakeAbsState, specs: FolderSpec[]): FakeItem[] {
  const lib = firstLibraryOf(state, specs[0]);
  state.broadcast('task_started', task(lib, 'library-scan', false));
  const items = specs.map((s) => state.newItem(s, lib));
  for (let i = 0; i < items.length; i += 10)
    state.broadcast('items_added', items.slice(i, i + 10).map(toExpanded));
  const text = items.length ? `${items.length} added` : 'No changes needed';
  state.broadcast(
    'task_finished',
    task(lib, 'library-scan', true, { added: items.length, updated: 0, missing: 0, text }),
  );
  return items;
}

/** `POST /api/libraries/:id/scan` on the fake: nothing new on disk, so "No changes needed". */
function scanLibrary(state: FakeAbsState): void {
  state.later(0, () => scanAdd(state, []));
}
