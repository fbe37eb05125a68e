import type { BridgeEvents } from '../events/bus.js';

/** The events a webhook can subscribe to. */
export type NotifyEventName = 'item.applied' | 'item.review' | 'provider.circuit.open';
export type NotifyEvent = { [K in NotifyEventName]: { event: K; data: BridgeEvents[K] } }[NotifyEventName];

/** Generic JSON body: stable keys a script can rely on. */
export interface JsonWebhookBody {
  event: NotifyEventName;
  at: string;
  text: string;
  data: BridgeEvents[NotifyEventName];
  /** Link to the item on the bridge's web page, when its public URL is configured. */
  url?: string;
}

const COLORS: Record<NotifyEventName, number> = {
  'item.applied': 0x1b7f3b,
  'item.review': 0x9a6400,
  'provider.circuit.open': 0xb3261e,
};

const pct = (n: number) => `${Math.round(n * 100)}%`;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** One human sentence for an event (used by both formats). */
export function describe(e: NotifyEvent): string {
  switch (e.event) {
    case 'item.applied':
      return `Applied metadata to “${e.data.title ?? e.data.itemId}” (${pct(e.data.confidence)}): ${e.data.changedFields.join(', ') || 'no changes'}`;
    case 'item.review':
      return `“${e.data.title ?? e.data.itemId}” needs review (${pct(e.data.confidence)}): ${e.data.reason}`;
    case 'provider.circuit.open':
      return `Provider ${e.data.provider} is failing; its circuit breaker opened and it is skipped for now`;
  }
}

function itemLink(e: NotifyEvent, publicUrl?: string): string | undefined {
  if (!publicUrl || e.event === 'provider.circuit.open') return undefined;
  return `${publicUrl.replace(/\/$/, '')}/#item/${encodeURIComponent(e.data.itemId)}`;
}

/** The generic JSON webhook body. */
export function toJsonBody(e: NotifyEvent, at: Date, publicUrl?: string): JsonWebhookBody {
  const url = itemLink(e, publicUrl);
  return { event: e.event, at: at.toISOString(), text: describe(e), data: e.data, ...(url ? { url } : {}) };
}

/**
 * A Discord webhook body: one embed, within Discord's limits (title 256, description 4096, field
 * value 1024 characters). Mentions are disabled so a book title cannot ping anyone.
 */
export function toDiscordBody(e: NotifyEvent, at: Date, publicUrl?: string) {
  const url = itemLink(e, publicUrl);
  const fields: { name: string; value: string; inline: boolean }[] = [];
  if (e.event !== 'provider.circuit.open') {
    fields.push({ name: 'Confidence', value: pct(e.data.confidence), inline: true });
    fields.push({ name: 'Item', value: clip(e.data.itemId, 1024), inline: true });
  }
  if (e.event === 'item.applied' && e.data.changedFields.length) {
    fields.push({ name: 'Changed', value: clip(e.data.changedFields.join(', '), 1024), inline: false });
  }
  const titles: Record<NotifyEventName, string> = {
    'item.applied': 'Metadata applied',
    'item.review': 'Needs review',
    'provider.circuit.open': 'Provider circuit open',
  };
  return {
    username: 'ABS Metadata Bridge',
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: clip(titles[e.event], 256),
        description: clip(describe(e), 4096),
        color: COLORS[e.event],
        timestamp: at.toISOString(),
        fields,
        ...(url ? { url } : {}),
      },
    ],
  };
}
