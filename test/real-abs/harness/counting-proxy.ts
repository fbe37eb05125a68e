/**
 * A loopback reverse proxy between the bridge and the real ABS that counts what the bridge sends
 * (PATCH /media, cover and chapter writes…), so "zero PATCHes" is measured on the wire rather than
 * taken from the bridge's own report. WebSocket upgrades (the socket.io connection) are piped.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';

export interface CountingProxy {
  url: string;
  /** Every request ABS answered: `METHOD /path` (query dropped, ids kept). */
  log: string[];
  /** Every request sent, answered or not (a request to a dead ABS is here, not in `log`). */
  attempts: string[];
  /** Requests that change ABS: anything but GET/HEAD/OPTIONS, minus reads done by POST. */
  writes(): string[];
  /**
   * Media writes ABS answered, one per item: `PATCH /api/items/<id>/media` for a PATCH and for
   * each item of a `POST /api/items/batch/update` (the bridge batches writes that arrive together).
   */
  mediaWrites(): string[];
  reset(): void;
  close(): Promise<void>;
}

/** POST routes that only read. */
const READ_POSTS = [/\/api\/items\/batch\/get$/, /^\/login$/, /^\/auth\/refresh$/, /\/socket\.io\//];

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  const log: string[] = [];
  const attempts: string[] = [];
  const mediaWrites: string[] = [];
  const server: Server = createServer((req, res) => {
    const pathOnly = (req.url ?? '/').split('?')[0] as string;
    attempts.push(`${req.method} ${pathOnly}`);
    const body: Buffer[] = [];
    if (req.method === 'POST' && pathOnly.endsWith('/api/items/batch/update'))
      req.on('data', (c) => body.push(c));
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
      },
      (answer) => {
        log.push(`${req.method} ${pathOnly}`);
        if (req.method === 'PATCH' && /^\/api\/items\/[^/]+\/media$/.test(pathOnly))
          mediaWrites.push(`PATCH ${pathOnly}`);
        if (body.length > 0 && (answer.statusCode ?? 500) < 300)
          for (const entry of JSON.parse(Buffer.concat(body).toString('utf8')) as { id: string }[])
            mediaWrites.push(`PATCH /api/items/${entry.id}/media`);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      // ABS is down: the bridge sees a refused connection as it would without the proxy.
      req.socket.destroy();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const up = connect(Number(to.port), to.hostname, () => {
      const headers = Object.entries({ ...req.headers, host: to.host })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    attempts,
    // Writes as sent (answered or not): "zero PATCHes" means none was even tried.
    writes: () =>
      attempts.filter((l) => {
        const [method = '', p = ''] = l.split(' ');
        if (['GET', 'HEAD', 'OPTIONS'].includes(method)) return false;
        return !(method === 'POST' && READ_POSTS.some((r) => r.test(p)));
      }),
    mediaWrites: () => [...mediaWrites],
    reset: () => {
      log.length = 0;
      attempts.length = 0;
      mediaWrites.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
