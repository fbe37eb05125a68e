import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAbsClient } from '../abs/client.js';
import { AbsSocketListener } from '../abs/socket.js';
import { TokenManager } from '../abs/tokens.js';
import type { AbsClient } from '../abs/types.js';
import type { Bridge } from '../bridge/index.js';
import { createLibraryTidy } from '../bridge/reports/library-tidy.js';
import { openRuntimeSettings } from '../bridge/state/runtime-settings.js';
import type { Config } from '../config/schema.js';
import { emptyResult } from '../domain/provider-result.js';
import { ConfigError } from '../errors.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Logger } from '../logging.js';
import { type Notifier, startNotifications } from '../notify/webhooks.js';
import { type BridgeOptions, createBridge, matcherOf } from './bridge.js';
import { createRuntime, type Runtime } from './runtime.js';

/** The running service: bridge, HTTP server and notifications over one runtime. */
export interface Service {
  runtime: Runtime;
  abs: AbsClient;
  bridge: Bridge;
  http: HttpServer;
  notifier: Notifier;
  /** Base URL the HTTP server listens on. */
  url: string;
  /** Where the generated HTTP token was stored, when none was configured. */
  tokenFile?: string;
  /** Stops accepting requests, stops the listener, drains the queue, closes the cache. Idempotent. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  bridge?: BridgeOptions;
  /** Called once the bridge exists, before it starts: `run` attaches its per-book output here. */
  beforeStart?: (parts: { runtime: Runtime; bridge: Bridge }) => void;
}

/** Builds the ABS REST client and, when socket credentials exist, the socket listener. */
export function connectAbs(config: Config, logger: Logger) {
  if (!config.abs.url) throw new ConfigError(['abs.url: required (or set ABS_URL)']);
  if (!config.abs.apiKey) throw new ConfigError(['abs.apiKey: required (or set ABS_API_KEY)']);
  const abs = createAbsClient({
    url: config.abs.url,
    basePath: config.abs.basePath,
    token: config.abs.apiKey,
    timeoutMs: config.abs.timeoutMs,
    userAgent: config.userAgent,
  });
  const tokens = new TokenManager({
    client: abs,
    username: config.abs.username,
    password: config.abs.password,
    token: config.abs.token,
    logger: logger.child({ module: 'abs-tokens' }),
  });
  const socket = tokens.canAuthenticate
    ? new AbsSocketListener({
        url: config.abs.url,
        basePath: config.abs.basePath,
        tokens,
        libraryIds: config.abs.libraryIds,
        logger: logger.child({ module: 'abs-socket' }),
      })
    : undefined;
  return { abs, tokens, socket };
}

/**
 * The HTTP token: the configured one, else one generated once and kept in
 * `<dataDir>/http-token` (mode 0600) so it survives restarts. Its value is never logged.
 */
export function resolveHttpToken(config: Config): { token: string; file?: string } {
  if (config.http.token) return { token: config.http.token };
  const file = join(config.dataDir, 'http-token');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return { token: stored, file };
  } catch {
    // No token yet: make one below.
  }
  mkdirSync(config.dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

/** Readiness probe: a value written to the cache can be read back. */
export function cacheWritable(runtime: Runtime): () => Promise<boolean> {
  return async () => {
    const key = `bridge-probe:${process.pid}`;
    const probe = emptyResult('bridge-probe');
    await runtime.cache.set(key, probe, 60);
    const back = await runtime.cache.get(key);
    await runtime.cache.invalidate(key).catch(() => false);
    return back !== undefined;
  };
}

/** Starts everything `abs-bridge run` runs; the caller owns signals and exit. */
export async function startService(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<Service> {
  const { token, file } = resolveHttpToken(config);
  const withToken: Config = { ...config, http: { ...config.http, token } };
  const runtime = await createRuntime(withToken, logger);
  const { abs, socket } = connectAbs(withToken, logger);
  // One settings store for the page and the bridge: a rule turned on applies from the next item.
  const settings = options.bridge?.settings ?? openRuntimeSettings(config.dataDir);
  const bridge = await createBridge(
    { runtime, abs, ...(socket ? { listener: socket } : {}), logger },
    { ...options.bridge, settings },
  );
  const http = createHttpServer({
    http: withToken.http,
    service: bridge,
    events: runtime.events,
    matcher: matcherOf(runtime),
    logger,
    readiness: [{ name: 'cacheWritable', check: cacheWritable(runtime) }],
    covers: { dir: join(config.dataDir, 'covers') },
    tidy: createLibraryTidy({ abs, config: withToken, settings }),
  });
  const url = await http.listen();
  options.beforeStart?.({ runtime, bridge });
  const notifier = startNotifications(runtime.events, config.notifications.webhooks, logger, {
    publicUrl: url,
  });
  await bridge.start();
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await http.close();
      await bridge.stop();
      await notifier.stop();
      await runtime.close();
    })();
    return stopping;
  };
  return { runtime, abs, bridge, http, notifier, url, ...(file ? { tokenFile: file } : {}), stop };
}
