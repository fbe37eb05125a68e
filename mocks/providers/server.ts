import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigInput } from '../../src/config/schema.js';
import { UPSTREAMS } from './handlers.js';
import type { MockRequest, MockResponse } from './routes.js';
import { customRoute, MOCK_CUSTOM_AUTH, MOCK_HARDCOVER_TOKEN } from './routes-more.js';

export interface MockProviderServer {
  origin: string;
  /** Service root per provider, to use as `providers.<id>.baseUrl`; `custom` is the provider URL. */
  urls: Record<
    'audnexus' | 'audible' | 'hardcover' | 'openlibrary' | 'googlebooks' | 'itunes' | 'custom',
    string
  >;
  /** Every request served, in order (method, provider, path with query). */
  requests: { method: string; provider: string; url: string }[];
  /** A `providers` config section pointing every provider at this server. */
  providersConfig(): NonNullable<ConfigInput['providers']>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const routes: Record<string, (req: MockRequest) => MockResponse> = {
  ...Object.fromEntries(UPSTREAMS.map((u) => [u.id, u.route])),
  custom: customRoute,
};

/**
 * A real HTTP server on loopback serving every provider's fixture-backed routes under one
 * origin, one path prefix per provider (`/audnexus/books/…`, `/audible/1.0/catalog/…`, `/custom/search`).
 */
export async function startMockProviderServer(
  opts: { port?: number; host?: string } = {},
): Promise<MockProviderServer> {
  const requests: MockProviderServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const [, provider = '', ...rest] = url.pathname.split('/');
    const route = routes[provider];
    requests.push({ method: req.method ?? 'GET', provider, url: `${url.pathname}${url.search}` });
    let answer: MockResponse;
    try {
      answer = route
        ? route({
            method: req.method ?? 'GET',
            path: `/${rest.join('/')}`,
            query: url.searchParams,
            headers: Object.fromEntries(
              Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
            ),
            body: await readBody(req),
          })
        : { status: 404, body: { error: `no mock provider "${provider}"` } };
    } catch (error) {
      answer = { status: 500, body: { error: (error as Error).message } };
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const urls = Object.fromEntries(
    ['audnexus', 'audible', 'hardcover', 'openlibrary', 'googlebooks', 'itunes', 'custom'].map((id) => [
      id,
      `${origin}/${id}`,
    ]),
  ) as MockProviderServer['urls'];
  return {
    origin,
    urls,
    requests,
    providersConfig: () => ({
      audible: { baseUrl: urls.audible },
      audnexus: { baseUrl: urls.audnexus },
      hardcover: { enabled: true, baseUrl: urls.hardcover, token: MOCK_HARDCOVER_TOKEN },
      openlibrary: { baseUrl: urls.openlibrary },
      googlebooks: { baseUrl: urls.googlebooks },
      itunes: { baseUrl: urls.itunes },
      custom: [{ name: 'mock', url: urls.custom, authHeader: MOCK_CUSTOM_AUTH }],
    }),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
