import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback upstream that enforces `limit` requests per fixed `windowMs`, like Audnexus' per-minute limit. */
export interface LimitServer {
  url: string;
  /** Requests answered 200 / 429, and the most served in any one window. */
  stats(): { ok: number; limited: number; maxPerWindow: number; total: number };
  /** Next responses: a status (and headers) per request; after the list, normal behaviour. */
  script(responses: { status: number; headers?: Record<string, string>; delayMs?: number }[]): void;
  /** Arrival times (ms, performance.now) of every request. */
  arrivals: number[];
  close(): Promise<void>;
}

export async function startLimitServer(opts: { limit: number; windowMs: number }): Promise<LimitServer> {
  const counts = new Map<number, number>();
  let ok = 0;
  let limited = 0;
  const arrivals: number[] = [];
  let scripted: { status: number; headers?: Record<string, string>; delayMs?: number }[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    const next = scripted.shift();
    if (next) {
      setTimeout(() => {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify({ scripted: next.status }));
      }, next.delayMs ?? 0);
      return;
    }
    const window = Math.floor(Date.now() / opts.windowMs);
    const served = (counts.get(window) ?? 0) + 1;
    counts.set(window, served);
    if (served > opts.limit) {
      limited++;
      const retryAfter = Math.ceil(((window + 1) * opts.windowMs - Date.now()) / 1000);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
      res.end('{"error":"rate limited"}');
      return;
    }
    ok++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, n: ok }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    stats: () => ({
      ok,
      limited,
      total: ok + limited,
      maxPerWindow: Math.max(0, ...[...counts.values()].map((n) => Math.min(n, opts.limit + 1000))),
    }),
    script(responses) {
      scripted = [...responses];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
