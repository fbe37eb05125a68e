import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyToken, restAllowed } from './auth.js';
import type { FakeAbsState } from './state.js';

/** What a route handler sees. */
export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  params: string[];
  state: FakeAbsState;
}

/** A JSON body, or a plain-text body like most ABS errors (`Not Found`, `Invalid url`). */
export type Reply = { status: number; json?: unknown; text?: string };

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Needs a REST credential. */
  auth: boolean;
}

export const json = (body: unknown, status = 200): Reply => ({ status, json: body });
export const text = (body: string, status = 200): Reply => ({ status, text: body });

function bearer(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return query.get('token') ?? undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return Symbol.for('invalid-json');
  }
}

/**
 * A node:http handler over a route table. Both `/…` and `<basePath>/…` answer, as in ABS with
 * ROUTER_BASE_PATH set. Every answered request is logged on the state.
 */
export function createHandler(state: FakeAbsState, routes: Route[], basePath: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = url.pathname;
    if (basePath && (path === basePath || path.startsWith(`${basePath}/`)))
      path = path.slice(basePath.length) || '/';
    const method = req.method ?? 'GET';
    let reply: Reply;
    let body: unknown;
    try {
      body = await readBody(req);
      reply = await dispatch(
        state,
        routes,
        { method, path, query: url.searchParams, headers: req.headers, body, params: [], state },
        req,
      );
    } catch (error) {
      reply = text(`Internal error: ${error instanceof Error ? error.message : String(error)}`, 500);
    }
    state.requestLog.push({
      at: Date.now(),
      method,
      path,
      status: reply.status,
      ...(body !== undefined ? { body } : {}),
    });
    send(res, reply);
  };
}

async function dispatch(
  state: FakeAbsState,
  routes: Route[],
  ctx: Ctx,
  req: IncomingMessage,
): Promise<Reply> {
  if (ctx.body === Symbol.for('invalid-json')) return text('Bad Request', 400);
  for (const route of routes) {
    if (route.method !== ctx.method) continue;
    const m = route.pattern.exec(ctx.path);
    if (!m) continue;
    if (route.auth && !restAllowed(classifyToken(state, bearer(req, ctx.query))))
      return text('Unauthorized', 401);
    return route.handler({ ...ctx, params: m.slice(1).map((p) => decodeURIComponent(p)) });
  }
  if (ctx.path.startsWith('/api/') && !restAllowed(classifyToken(state, bearer(req, ctx.query)))) {
    return text('Unauthorized', 401);
  }
  return text('Not Found', 404);
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(reply.text ?? '');
}
