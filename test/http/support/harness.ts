import { Writable } from 'node:stream';
import pino from 'pino';
import type { LibraryTidy } from '../../../src/bridge/reports/library-tidy.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { CoverOptions } from '../../../src/http/routes/covers.js';
import type { ReadinessCheck } from '../../../src/http/routes/health.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import type { Logger } from '../../../src/logging.js';
import { REDACT_PATHS } from '../../../src/logging.js';
import { decide } from '../../../src/matching/decision.js';
import { createMemoryService, type MemoryService } from './memory-service.js';
import { startTidyLibrary } from './tidy-library.js';

export const TOKEN = 'test-token-5f1c9a';

/** A logger whose lines are kept in memory, redacted like the real one, to assert on logs. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  return { logger, lines };
}

export interface Harness {
  server: HttpServer;
  service: MemoryService;
  lines: string[];
  auth: { authorization: string };
}

/** The HTTP server over an in-memory bridge with three items already processed. */
export async function startHarness(
  options: {
    token?: string | null;
    bodyLimitBytes?: number;
    readiness?: ReadinessCheck[];
    covers?: CoverOptions;
    tidy?: LibraryTidy;
  } = {},
): Promise<Harness> {
  const service = createMemoryService();
  // The page's completeness and genre rules run over a small ABS listing unless a test brings its own.
  const ownTidy = options.tidy ? undefined : await startTidyLibrary();
  const tidy = options.tidy ?? ownTidy?.tidy;
  const { logger, lines } = captureLogger();
  const token = options.token === null ? undefined : (options.token ?? TOKEN);
  const http = ConfigSchema.shape.http.parse({
    port: 0,
    ...(token ? { token } : {}),
    ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
  });
  const server = createHttpServer({
    http,
    service,
    events: service.events,
    matcher: {
      aggregate: (ctx, opts) => service.aggregator.aggregate(ctx, opts),
      decide: (r) =>
        decide({
          confidence: r.confidence,
          runnerUpConfidence: r.runnerUpConfidence,
          found: Object.keys(r.sources).length > 0,
        }),
    },
    logger,
    readiness: options.readiness ?? [],
    ...(options.covers ? { covers: options.covers } : {}),
    ...(tidy ? { tidy } : {}),
  });
  if (ownTidy) server.app.addHook('onClose', () => ownTidy.close());
  await server.app.ready();
  // Processed after the server exists, so the metrics see these items' events.
  await service.add('li_phm', { title: 'Project Hail Mary', authors: ['Andy Weir'] });
  await service.add('li_wok', { title: 'The Way of Kings', authors: ['Brandon Sanderson'] });
  await service.add('li_none', { title: 'Unknown Book' });
  return { server, service, lines, auth: { authorization: `Bearer ${TOKEN}` } };
}
