import type { ItemRecord } from '../bridge/service/types.js';
import type { BridgeEvents, EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';

type ProviderFailure = BridgeEvents['provider.fetch.error']['error'];

/** What `run` prints about books and providers, fed from the bridge's event bus. */
export interface RunOutputDeps {
  events: EventBus;
  logger: Logger;
  /** The item's record, to name the providers an apply took its values from. */
  getItem(itemId: string): Promise<ItemRecord | null>;
}

const conf = (n: number) => n.toFixed(2);

/**
 * One line per book outcome (applied, review, rejected, waiting, skipped), and one warning per
 * provider outage with its real cause, plus one line when the provider answers again. Returns a
 * function that detaches every handler.
 */
export function attachRunOutput(deps: RunOutputDeps): () => void {
  const books = deps.logger.child({ module: 'books' });
  const name = (e: { itemId: string; title?: string | undefined }) => e.title ?? e.itemId;
  const off = [
    deps.events.on('item.applied', async (e) => {
      const from = await providersOf(deps, e.itemId, e.changedFields);
      const what =
        e.changedFields.length === 0
          ? 'already up to date'
          : `applied ${e.changedFields.length} field${e.changedFields.length === 1 ? '' : 's'}${from ? ` from ${from}` : ''}`;
      books.info(
        { itemId: e.itemId, decision: 'apply', confidence: e.confidence, fields: e.changedFields },
        `${name(e)} — ${what} (${conf(e.confidence)})`,
      );
    }),
    deps.events.on('item.review', (e) =>
      books.info(
        { itemId: e.itemId, decision: 'review', confidence: e.confidence },
        `${name(e)} → review: ${e.reason} (${conf(e.confidence)})`,
      ),
    ),
    deps.events.on('item.rejected', (e) =>
      books.info(
        { itemId: e.itemId, decision: 'reject', confidence: e.confidence },
        `${name(e)} → not matched: ${e.reason}`,
      ),
    ),
    deps.events.on('item.waiting', (e) =>
      books.info({ itemId: e.itemId, decision: 'wait' }, `${name(e)} → waiting: ${e.reason}`),
    ),
    deps.events.on('item.skipped', (e) =>
      books.info({ itemId: e.itemId, decision: 'skipped' }, `${e.itemId} skipped: ${e.reason}`),
    ),
    ...watchOutages(deps.events, deps.logger.child({ module: 'providers' })),
  ];
  return () => {
    for (const f of off) f();
  };
}

/** "audible+audnexus": the providers the changed fields came from, per the item's record. */
async function providersOf(deps: RunOutputDeps, itemId: string, fields: string[]): Promise<string> {
  const record = await deps.getItem(itemId).catch(() => null);
  const sources = record?.result?.sources ?? {};
  const used = new Set(fields.map((f) => sources[f as keyof typeof sources]).filter(Boolean));
  return [...used].join('+');
}

/**
 * Tracks each provider's health from its calls. The first failure starts an outage and is
 * reported with its cause; later failures (a circuit breaker refusing calls included) stay
 * quiet; a success or the breaker closing ends it with one line.
 */
export function watchOutages(events: EventBus, log: Logger): (() => void)[] {
  const down = new Map<string, { since: number; cause: string }>();
  const start = (provider: string, cause: string) => {
    if (down.has(provider)) return;
    down.set(provider, { since: Date.now(), cause });
    log.warn(
      { provider, cause },
      `provider ${provider} is failing: ${cause} — books that need it wait and are retried when it answers`,
    );
  };
  const end = (provider: string) => {
    const outage = down.get(provider);
    if (!outage) return;
    down.delete(provider);
    const seconds = Math.round((Date.now() - outage.since) / 1000);
    log.info(
      { provider, downForSeconds: seconds },
      `provider ${provider} answers again (failed for ${seconds} s)`,
    );
  };
  return [
    events.on('provider.fetch.error', (e) => start(e.provider, describeFailure(e.error))),
    events.on('provider.rate_limited', (e) =>
      start(e.provider, `rate limited (HTTP 429), asked to wait ${Math.ceil(e.retryAfterMs / 1000)} s`),
    ),
    events.on('provider.fetch.success', (e) => end(e.provider)),
    events.on('provider.circuit.close', (e) => end(e.provider)),
  ];
}

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'DNS: host name not found (ENOTFOUND)',
  EAI_AGAIN: 'DNS lookup failed (EAI_AGAIN)',
  ECONNREFUSED: 'connection refused (ECONNREFUSED)',
  ECONNRESET: 'connection reset (ECONNRESET)',
  EHOSTUNREACH: 'host unreachable (EHOSTUNREACH)',
  ENETUNREACH: 'network unreachable (ENETUNREACH)',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
};

/** The cause in words: DNS, refused, 429, timeout, an HTTP status, a refused key. */
export function describeFailure(error: ProviderFailure): string {
  const errno = /\(([A-Z_]{4,})\)/.exec(error.message)?.[1];
  if (errno && CAUSES[errno]) return CAUSES[errno];
  if (error.code === 'TIMEOUT') return `timeout: ${error.message.replace(/^\w+: /, '')}`;
  if (error.code === 'RATE_LIMITED') return 'rate limited (HTTP 429)';
  if (error.code === 'AUTH_FAILED') return `refused the credentials: ${error.message.replace(/^\w+: /, '')}`;
  if (error.code === 'CIRCUIT_OPEN') return 'too many failures in a row (circuit breaker open)';
  return error.message.replace(/^\w+: /, '');
}
