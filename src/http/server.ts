import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { LibraryTidy } from '../bridge/reports/library-tidy.js';
import type { BridgeService } from '../bridge/service/types.js';
import type { Config } from '../config/schema.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { checkAuthorization, looksCrossSite } from './auth.js';
import { CrossSiteError, toHttpError, UnauthorizedError, UnsupportedMediaTypeError } from './errors.js';
import { type BridgeMetrics, createMetrics } from './metrics.js';
import { type AbsProviderMatcher, registerAbsProviderRoutes } from './routes/abs-provider.js';
import { registerApiRoutes } from './routes/api.js';
import { type CoverOptions, registerCoverRoutes } from './routes/covers.js';
import { registerEventRoutes } from './routes/events.js';
import { type ReadinessCheck, registerHealthRoutes } from './routes/health.js';
import { registerTidyRoutes } from './routes/tidy.js';
import { PUBLIC_ASSET_PATHS, registerStaticRoutes } from './static.js';

export interface HttpServerDeps {
  http: Config['http'];
  service: BridgeService;
  /** The process's events: metrics and the page's live stream listen here. */
  events: EventBus;
  /** The aggregator and decision bands, for ABS's custom-provider search. */
  matcher: AbsProviderMatcher;
  logger: Logger;
  /** Where covers are cached (`<dataDir>/covers`); without it the page shows no covers. */
  covers?: CoverOptions;
  /** Extra `/readyz` probes (cache writable, …). */
  readiness?: ReadinessCheck[];
  /** Completeness and genre rules for the page; without it those routes are absent. */
  tidy?: LibraryTidy;
}

export interface HttpServer {
  app: FastifyInstance;
  metrics: BridgeMetrics;
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:8787`). */
  listen(): Promise<string>;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

/** Routes that answer without a token; `/abs-provider/` checks its own header (bare token allowed). */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics', ...PUBLIC_ASSET_PATHS]);
const isOpen = (path: string) => OPEN_PATHS.has(path) || path.startsWith('/abs-provider/');

/** Builds the fastify app: auth and cross-site guards, the API, health, metrics, the page. */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const logger = deps.logger.child({ module: 'http' });
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: deps.http.bodyLimitBytes,
    // Request lines are logged by the hooks below, without headers (the token lives there).
    logController: new LogController({ disableRequestLogging: true }),
  });
  const metrics = createMetrics(deps.events, () => deps.service.status());

  app.addHook('onRequest', async (request) => guard(request, deps.http.token));
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    if (error instanceof UnauthorizedError) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  registerHealthRoutes(app, { service: deps.service, metrics, checks: deps.readiness ?? [] });
  registerStaticRoutes(app);
  registerApiRoutes(app, deps.service);
  if (deps.covers) registerCoverRoutes(app, deps.service, deps.covers);
  if (deps.tidy) registerTidyRoutes(app, deps.tidy);
  registerEventRoutes(
    app,
    deps.events,
    () => deps.service.status(),
    undefined,
    (l) => deps.service.onBackfill(l),
  );
  registerAbsProviderRoutes(app, { matcher: deps.matcher, token: deps.http.token });

  return {
    app,
    metrics,
    async listen() {
      // fastify logs the listening line itself; this text replaces its default.
      return app.listen({
        host: deps.http.host,
        port: deps.http.port,
        listenTextResolver: (address) => `http server listening at ${address}`,
      });
    },
    async close() {
      metrics.stop();
      await app.close();
    },
  };
}

/**
 * Runs before every route. Protected routes need `Authorization: Bearer <token>`: a header a
 * browser never attaches by itself, so another site cannot ride on the page's session. POSTs must
 * also be JSON and not come from another origin. Failures are logged without the header.
 */
async function guard(request: FastifyRequest, token: string | undefined): Promise<void> {
  const path = request.url.split('?')[0] ?? '/';
  if (isOpen(path)) return;
  const verdict = checkAuthorization(request.headers.authorization, token);
  if (!verdict.ok) {
    request.log.warn(
      { method: request.method, path, ip: request.ip, reason: verdict.reason },
      'unauthorised request',
    );
    throw new UnauthorizedError(
      verdict.reason === 'unconfigured'
        ? 'no http.token is configured; set ABS_BRIDGE_HTTP_TOKEN'
        : 'send Authorization: Bearer <token>',
    );
  }
  if (request.method === 'GET' || request.method === 'HEAD') return;
  if (looksCrossSite(request.headers as Record<string, string | undefined>)) {
    request.log.warn(
      { method: request.method, path, origin: request.headers.origin },
      'cross-site request refused',
    );
    throw new CrossSiteError();
  }
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new UnsupportedMediaTypeError();
}
