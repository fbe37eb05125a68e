import PQueue from 'p-queue';
import type { Config } from '../config/schema.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { type NotifyEvent, type NotifyEventName, toDiscordBody, toJsonBody } from './format.js';

export type WebhookConfig = Config['notifications']['webhooks'][number];

export interface NotifierOptions {
  /** Per-request timeout. @default 5000 */
  timeoutMs?: number;
  /** Deliveries waiting beyond this are dropped (and logged) so a dead receiver cannot grow memory. @default 200 */
  maxPending?: number;
  /** The bridge's public URL, for links to items in messages. */
  publicUrl?: string;
  /** For tests. */
  now?: () => Date;
}

export interface Notifier {
  /** Deliveries sent, failed, dropped since start. */
  stats: { sent: number; failed: number; dropped: number };
  /** Unsubscribes, then waits (up to `timeoutMs`) for deliveries in flight. */
  stop(): Promise<void>;
}

/** The webhook's host only: Discord webhook URLs carry their secret in the path. */
const hostOf = (url: string) => new URL(url).host;

/**
 * Subscribes webhooks to bridge events. Handlers only enqueue (the event bus awaits handlers, so
 * a slow receiver must never hold up the bridge); deliveries run two at a time with a timeout,
 * and a failure is logged, never thrown.
 */
export function startNotifications(
  events: EventBus,
  webhooks: readonly WebhookConfig[],
  logger: Logger,
  options: NotifierOptions = {},
): Notifier {
  const log = logger.child({ module: 'notify' });
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxPending = options.maxPending ?? 200;
  const now = options.now ?? (() => new Date());
  const queue = new PQueue({ concurrency: 2 });
  const stats = { sent: 0, failed: 0, dropped: 0 };

  const deliver = async (hook: WebhookConfig, e: NotifyEvent) => {
    const body =
      hook.format === 'discord'
        ? toDiscordBody(e, now(), options.publicUrl)
        : toJsonBody(e, now(), options.publicUrl);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'abs-metadata-bridge' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`receiver answered ${res.status}`);
      stats.sent += 1;
    } catch (error) {
      stats.failed += 1;
      log.warn({ host: hostOf(hook.url), event: e.event, error: (error as Error).message }, 'webhook failed');
    }
  };

  const dispatch = (e: NotifyEvent) => {
    for (const hook of webhooks) {
      if (!hook.events.includes(e.event)) continue;
      if (queue.size >= maxPending) {
        stats.dropped += 1;
        log.warn({ host: hostOf(hook.url), event: e.event }, 'webhook backlog full; notification dropped');
        continue;
      }
      void queue.add(() => deliver(hook, e));
    }
  };

  const names: NotifyEventName[] = ['item.applied', 'item.review', 'provider.circuit.open'];
  const offs = webhooks.length
    ? names.map((name) => events.on(name, (data) => dispatch({ event: name, data } as NotifyEvent)))
    : [];

  return {
    stats,
    async stop() {
      for (const off of offs) off();
      await Promise.race([queue.onIdle(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
  };
}
