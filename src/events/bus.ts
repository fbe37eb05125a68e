import type { FieldConflict } from '../domain/aggregated.js';
import type { Logger } from '../logging.js';

/** Every event the bridge emits, with its payload. */
export interface BridgeEvents {
  'provider.fetch.start': { provider: string; itemId?: string };
  'provider.fetch.success': {
    provider: string;
    itemId?: string;
    durationMs: number;
    cached: boolean;
    found: boolean;
  };
  'provider.fetch.error': {
    provider: string;
    itemId?: string;
    durationMs: number;
    error: { code: string; message: string; retryable: boolean };
  };
  'provider.rate_limited': { provider: string; retryAfterMs: number };
  'provider.circuit.open': { provider: string };
  'provider.circuit.half_open': { provider: string };
  'provider.circuit.close': { provider: string };
  'cache.hit': { provider: string; key: string };
  'cache.miss': { provider: string; key: string };
  'cache.error': { operation: string; message: string };
  'aggregation.conflict': { itemId?: string; conflict: FieldConflict };
  'export.complete': { exporter: string; path: string; itemId?: string };
  'item.queued': { itemId: string; reason: string };
  'item.applied': { itemId: string; title?: string; confidence: number; changedFields: string[] };
  'item.review': { itemId: string; title?: string; confidence: number; reason: string };
  'item.rejected': { itemId: string; title?: string; confidence: number; reason: string };
  /** A provider the decision depends on was down: nothing decided, the item is retried later. */
  'item.waiting': { itemId: string; title?: string; reason: string };
  'item.failed': { itemId: string; message: string };
  'item.skipped': { itemId: string; reason: string };
}
export type BridgeEventName = keyof BridgeEvents;
export type EventHandler<K extends BridgeEventName> = (data: BridgeEvents[K]) => void | Promise<void>;

/**
 * Instance-based event bus (no globals, so tests stay isolated). Handlers run in registration
 * order; a handler that throws or rejects is logged and never breaks the emitter or other handlers.
 */
export class EventBus {
  readonly #handlers = new Map<BridgeEventName, EventHandler<BridgeEventName>[]>();
  readonly #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger;
  }

  /** Registers a handler; returns a function that removes it. */
  on<K extends BridgeEventName>(event: K, handler: EventHandler<K>): () => void {
    const list = this.#handlers.get(event) ?? [];
    list.push(handler as EventHandler<BridgeEventName>);
    this.#handlers.set(event, list);
    return () => {
      const current = this.#handlers.get(event);
      if (current)
        this.#handlers.set(
          event,
          current.filter((h) => h !== handler),
        );
    };
  }

  /** Calls every handler of `event`, awaiting async ones; resolves when all have finished. */
  async emit<K extends BridgeEventName>(event: K, data: BridgeEvents[K]): Promise<void> {
    for (const handler of this.#handlers.get(event) ?? []) {
      try {
        await handler(data);
      } catch (error) {
        this.#logger?.error({ err: error, event }, 'event handler failed');
      }
    }
  }

  listenerCount(event: BridgeEventName): number {
    return this.#handlers.get(event)?.length ?? 0;
  }
}
