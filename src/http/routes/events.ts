import type { FastifyInstance } from 'fastify';
import type { BackfillStatus, BridgeStatus } from '../../bridge/service/types.js';
import type { BridgeEventName, BridgeEvents, EventBus } from '../../events/bus.js';

/** Events the page listens to: every item outcome and provider health. */
const STREAMED = [
  'item.applied',
  'item.review',
  'item.rejected',
  'item.waiting',
  'item.failed',
  'item.skipped',
  'provider.circuit.open',
  'provider.circuit.close',
] as const satisfies readonly BridgeEventName[];

/** Every so often the stream carries the bridge's status (ABS reachable, socket, queue). */
const STATUS_EVERY_MS = 15_000;

/**
 * `GET /api/events`: server-sent events, one per item outcome (`event: item.applied`, `data:` the
 * event's JSON). The page reads it with fetch, so the token stays in the Authorization header.
 * A running backfill's progress goes out as `backfill` events (its status, a few a second at most).
 * A `status` event every 15 s keeps the header current and the connection alive. Streams end
 * when the server closes.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  events: EventBus,
  status: () => BridgeStatus,
  statusEveryMs = STATUS_EVERY_MS,
  onBackfill?: (listener: (status: BackfillStatus) => void) => () => void,
): void {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const send = (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const off = STREAMED.map((name) =>
      events.on(name, (data: BridgeEvents[typeof name]) => send(name, data)),
    );
    if (onBackfill) off.push(onBackfill((s) => send('backfill', s)));
    const heartbeat = setInterval(() => send('status', status()), statusEveryMs);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      for (const f of off) f();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
  });
}
