/**
 * Child process of bench/bridge.bench.ts: the fake ABS and two ABS-custom-protocol providers
 * (100 ms ± 20 ms latency, 429 above their rate limit). Running them apart from the bridge
 * measures the bridge, not the fakes, as in real life where ABS and providers are elsewhere.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeAbs } from '../mocks/fake-abs/index.js';
import { JITTER_MS, LATENCY_MS, LIMITS, type ServerMessage } from './bridge-protocol.js';

const calls: Record<string, number> = { alpha: 0, beta: 0 };
const tooMany: Record<string, number> = { alpha: 0, beta: 0 };

function upstream() {
  const buckets = Object.fromEntries(
    Object.entries(LIMITS).map(([k, rate]) => [
      k,
      { tokens: rate / 5, at: Date.now(), rate, burst: rate / 5 },
    ]),
  );
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.split('/')[1] ?? '';
    const bucket = buckets[name];
    if (!bucket) return void res.writeHead(404).end();
    const now = Date.now();
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate);
    bucket.at = now;
    // Upstreams tolerate a little burst beyond their advertised limit; past that, 429.
    if (bucket.tokens < -2) {
      tooMany[name] = (tooMany[name] ?? 0) + 1;
      return void res.writeHead(429, { 'retry-after': '1' }).end('Too Many Requests');
    }
    bucket.tokens -= 1;
    calls[name] = (calls[name] ?? 0) + 1;
    const title = url.searchParams.get('query') ?? '';
    const author = url.searchParams.get('author') ?? undefined;
    const body = JSON.stringify({
      matches: [
        {
          title,
          author,
          narrator: 'Bench Narrator',
          publisher: name === 'alpha' ? 'Alpha House' : 'Beta House',
          publishedYear: '2019',
          description: `<p>${title}: a benchmark book.</p>`,
          genres: ['Fiction'],
        },
      ],
    });
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      LATENCY_MS + (Math.random() * 2 - 1) * JITTER_MS,
    );
  });
}

if (process.send) {
  const server = upstream();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // No libraryRoot: the fake's folder watcher is O(items) per file event, a cost of the fake.
  const fake = await startFakeAbs({ items: [] });
  const send = (m: unknown) => process.send?.(m);
  // The bench died: do not linger.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m: ServerMessage) => {
    if (m.type === 'addItems') send({ type: 'added', ids: fake.addItems(m.specs).map((i) => i.id) });
    else if (m.type === 'addItem') send({ type: 'added', ids: [fake.addItem(m.spec).id] });
    else if (m.type === 'stats') send({ type: 'stats', calls, tooMany, patchCount: fake.patchCount });
    else if (m.type === 'stop') {
      await fake.stop();
      server.close();
      process.exit(0);
    }
  });
  send({
    type: 'ready',
    fake: {
      url: fake.url,
      origin: fake.origin,
      apiKey: fake.apiKey,
      username: fake.username,
      password: fake.password,
      libraryId: fake.libraryId,
    },
    upstreamUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
}
