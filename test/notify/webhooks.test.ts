import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { EventBus } from '../../src/events/bus.js';
import { toDiscordBody } from '../../src/notify/format.js';
import { startNotifications } from '../../src/notify/webhooks.js';
import { captureLogger } from '../http/support/harness.js';

interface Received {
  path: string;
  body: unknown;
}

/** A real HTTP receiver on a loopback port; `respond` decides each answer. */
async function receiver(respond: (req: IncomingMessage) => Promise<number> | number = () => 204) {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    received.push({ path: req.url ?? '', body: JSON.parse(raw) });
    res.statusCode = await respond(req);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const hooks = (list: unknown[]) => ConfigSchema.shape.notifications.parse({ webhooks: list }).webhooks;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('webhook notifications', () => {
  it('posts generic JSON and Discord bodies for the subscribed events only', async () => {
    const r = await receiver();
    closers.push(r.close);
    const events = new EventBus();
    const { logger } = captureLogger();
    const notifier = startNotifications(
      events,
      hooks([
        { url: `${r.base}/json`, format: 'json' },
        { url: `${r.base}/discord/123/secret-part`, format: 'discord', events: ['item.review'] },
      ]),
      logger,
      { now: () => new Date('2026-01-02T03:04:05Z'), publicUrl: 'http://bridge.lan:8787/' },
    );
    await events.emit('item.applied', {
      itemId: 'li_1',
      title: 'Dune',
      confidence: 0.96,
      changedFields: ['series', 'narrators'],
    });
    await events.emit('item.review', {
      itemId: 'li_2',
      title: 'It',
      confidence: 0.7,
      reason: 'runner-up too close',
    });
    await events.emit('item.rejected', { itemId: 'li_3', confidence: 0.1, reason: 'no match' });
    await notifier.stop();

    const json = r.received.filter((x) => x.path === '/json').map((x) => x.body);
    expect(json).toEqual([
      {
        event: 'item.applied',
        at: '2026-01-02T03:04:05.000Z',
        text: 'Applied metadata to “Dune” (96%): series, narrators',
        data: { itemId: 'li_1', title: 'Dune', confidence: 0.96, changedFields: ['series', 'narrators'] },
        url: 'http://bridge.lan:8787/#item/li_1',
      },
      expect.objectContaining({ event: 'item.review', text: '“It” needs review (70%): runner-up too close' }),
    ]);
    const discord = r.received.filter((x) => x.path.startsWith('/discord'));
    expect(discord).toHaveLength(1);
    expect(discord[0]?.body).toMatchObject({
      username: 'ABS Metadata Bridge',
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Needs review', color: 0x9a6400, timestamp: '2026-01-02T03:04:05.000Z' }],
    });
    expect(notifier.stats).toEqual({ sent: 3, failed: 0, dropped: 0 });
  });

  it('never lets a failing, slow or unreachable webhook affect the bridge; logs without the URL secret', async () => {
    const failing = await receiver(() => 500);
    const slow = await receiver(() => new Promise((resolve) => setTimeout(() => resolve(204), 2000)));
    closers.push(failing.close, slow.close);
    const events = new EventBus();
    const { logger, lines } = captureLogger();
    const notifier = startNotifications(
      events,
      hooks([
        { url: `${failing.base}/api/webhooks/1/tok-secret-abc`, format: 'discord' },
        { url: `${slow.base}/slow` },
        { url: 'http://127.0.0.1:1/closed-port' },
      ]),
      logger,
      { timeoutMs: 300 },
    );
    const started = performance.now();
    await events.emit('provider.circuit.open', { provider: 'audible' });
    // emit resolves once handlers ran; delivery happens in the background.
    expect(performance.now() - started).toBeLessThan(100);
    await notifier.stop();
    expect(notifier.stats).toEqual({ sent: 0, failed: 3, dropped: 0 });
    const log = lines.join('');
    expect(log).toContain('webhook failed');
    expect(log).toContain('receiver answered 500');
    expect(log).not.toContain('tok-secret-abc');
  });

  it('drops deliveries beyond the backlog limit instead of growing without bound', async () => {
    const slow = await receiver(() => new Promise((resolve) => setTimeout(() => resolve(204), 200)));
    closers.push(slow.close);
    const events = new EventBus();
    const notifier = startNotifications(events, hooks([{ url: `${slow.base}/x` }]), captureLogger().logger, {
      maxPending: 2,
      timeoutMs: 2000,
    });
    for (let i = 0; i < 8; i++) await events.emit('provider.circuit.open', { provider: `p${i}` });
    await notifier.stop();
    // Two run at once, two wait; the other four are dropped.
    expect(notifier.stats).toEqual({ sent: 4, failed: 0, dropped: 4 });
  });

  it('keeps Discord embeds within Discord limits', () => {
    const body = toDiscordBody(
      {
        event: 'item.applied',
        data: { itemId: 'x', title: 'T'.repeat(5000), confidence: 1, changedFields: ['a'.repeat(2000)] },
      },
      new Date(),
    );
    const embed = body.embeds[0]!;
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    for (const f of embed.fields) expect(f.value.length).toBeLessThanOrEqual(1024);
  });
});
