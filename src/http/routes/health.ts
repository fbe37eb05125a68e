import type { FastifyInstance } from 'fastify';
import type { BridgeService } from '../../bridge/service/types.js';
import type { BridgeMetrics } from '../metrics.js';

/** An extra readiness probe, e.g. "cache writable". Resolves true when healthy; may throw. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/** Probes against the bridge's status: ABS reachable, socket authenticated (or polling). */
function statusChecks(service: BridgeService): Record<string, boolean> {
  const status = service.status();
  return {
    absReachable: status.absReachable,
    socketAuthenticated: status.socket === 'connected' || status.socket === 'polling',
  };
}

/** `/healthz` (process alive), `/readyz` (dependencies ready), `/metrics` (Prometheus). No token. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { service: BridgeService; metrics: BridgeMetrics; checks: ReadinessCheck[] },
): void {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, boolean> = statusChecks(deps.service);
    for (const probe of deps.checks) {
      checks[probe.name] = await probe.check().catch(() => false);
    }
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('content-type', deps.metrics.registry.contentType).send(text);
  });
}
