import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAbsClient } from '../../src/abs/client.js';
import type { AbsClient } from '../../src/abs/types.js';
import { matcherOf } from '../../src/app/bridge.js';
import { ConfigSchema } from '../../src/config/schema.js';
import {
  CircuitOpenError,
  ConflictError,
  InvalidRequestError,
  ItemNotFoundError,
  NotFoundError,
  NothingToUndoError,
  NotInReviewError,
  UnknownItemError,
} from '../../src/errors.js';
import { createHttpServer } from '../../src/http/server.js';
import { cannedBook, startHarness as startBridge } from '../bridge/harness.js';
import { captureLogger, type Harness, startHarness, TOKEN } from './support/harness.js';

/**
 * Every row of the status-by-class table (src/http/errors.ts), through the real HTTP server: the
 * status, the code and a message that says what was wrong and holds no secret.
 */

const SECRET_KEY = 'abs-key-9f2c41d7-never-shown';

/** A stand-in ABS whose answers are the failures a real one gives: refused key, 5xx, 400, junk, silence. */
function startFailingAbs(): Promise<Server> {
  const server = createServer((req, res) => {
    const id = req.url?.split('?')[0]?.split('/').at(-1);
    if (id === 'li_refused') res.writeHead(401).end('Unauthorized');
    else if (id === 'li_down') res.writeHead(503).end('Service Unavailable');
    else if (id === 'li_bad') res.writeHead(400).end('Invalid request');
    else if (id === 'li_junk') res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": 7}');
    // li_silent: never answers (the client's timeout ends it).
    else if (id !== 'li_silent') res.writeHead(404).end('Not Found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let h: Harness;
let failing: Server;
let abs: AbsClient;
beforeAll(async () => {
  failing = await startFailingAbs();
  const { port } = failing.address() as AddressInfo;
  abs = createAbsClient({
    url: `http://127.0.0.1:${port}`,
    token: SECRET_KEY,
    maxAttempts: 1,
    timeoutMs: 300,
  });
});
afterAll(async () => {
  failing.closeAllConnections();
  await new Promise((r) => failing.close(r));
});
afterEach(async () => h?.server.close());

const post = (url: string, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url,
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
  payload: {},
});

/** Re-match answers with whatever `fail` throws. */
async function rematchThrowing(fail: () => Promise<never>) {
  h = await startHarness();
  h.service.rematch = fail;
  const res = await h.server.app.inject(post('/api/items/li_phm/rematch'));
  return { status: res.statusCode, body: res.json() as { error: string; message: string }, raw: res.body };
}

describe('errors the bridge throws, by class', () => {
  it.each([
    [
      'a request the caller can fix → 400',
      () => new InvalidRequestError('approval', ['candidate 9 does not exist (have 2)']),
      400,
      'BAD_REQUEST',
      'invalid approval: candidate 9 does not exist (have 2)',
    ],
    [
      'an item ABS does not have → 404',
      () => new ItemNotFoundError('li_gone'),
      404,
      'ABS_ITEM_NOT_FOUND',
      'item li_gone does not exist in ABS',
    ],
    [
      'an item the bridge never matched → 404',
      () => new UnknownItemError('li_new'),
      404,
      'ITEM_NOT_FOUND',
      'item li_new is not known to the bridge',
    ],
    [
      'a library ABS does not have → 404',
      () => new NotFoundError('LIBRARY_NOT_FOUND', 'no book library "lib_x" in ABS'),
      404,
      'LIBRARY_NOT_FOUND',
      'no book library "lib_x" in ABS',
    ],
    [
      'nothing to undo → 409',
      () => new NothingToUndoError('li_phm'),
      409,
      'NOTHING_TO_UNDO',
      'nothing to undo for item li_phm',
    ],
    [
      'approve of a book not in review → 409',
      () => new NotInReviewError('li_phm', 'apply'),
      409,
      'NOT_IN_REVIEW',
      'item li_phm is not waiting for review (its decision is apply)',
    ],
    [
      'an item another job holds → 409',
      () => new ConflictError('ITEM_BUSY', 'item li_phm is being processed; try again'),
      409,
      'ITEM_BUSY',
      'item li_phm is being processed',
    ],
    [
      'a provider whose breaker is open → 503',
      () => new CircuitOpenError('audible'),
      503,
      'CIRCUIT_OPEN',
      'audible: circuit breaker is open',
    ],
  ])('%s', async (_name, make, status, code, message) => {
    const res = await rematchThrowing(async () => {
      throw make();
    });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(code);
    expect(res.body.message).toContain(message);
  });

  it('anything else is a 500 that keeps its details in the log', async () => {
    const res = await rematchThrowing(async () => {
      throw new Error(`sqlite at /var/lib/secret/state.db: ${SECRET_KEY}`);
    });
    expect(res).toMatchObject({ status: 500, body: { error: 'INTERNAL' } });
    expect(res.raw).not.toContain(SECRET_KEY);
    expect(res.raw).not.toContain('/var/lib');
    expect(h.lines.join('')).toContain('/var/lib/secret/state.db');
  });
});

describe('ABS failing the bridge, through the real ABS client', () => {
  it.each([
    [
      'refuses the bridge’s key → 502 (the caller’s token is fine)',
      'li_refused',
      502,
      'AUTH_FAILED',
      'HTTP 401',
    ],
    ['is unavailable → 503', 'li_down', 503, 'ABS_HTTP_503', 'HTTP 503'],
    ['refuses the request → 502', 'li_bad', 502, 'ABS_HTTP_400', 'HTTP 400 Invalid request'],
    [
      'answers with the wrong shape → 502',
      'li_junk',
      502,
      'VALIDATION_FAILED',
      'ABS item li_junk: unexpected data',
    ],
    ['does not answer in time → 504', 'li_silent', 504, 'TIMEOUT', 'no answer within 300 ms'],
  ])('ABS %s', async (_name, id, status, code, message) => {
    const res = await rematchThrowing(async () => {
      await abs.getItem(id);
      throw new Error('expected ABS to fail');
    });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(code);
    expect(res.body.message).toContain(message);
    expect(res.body.message).toMatch(/^abs: |^ABS /);
    expect(res.raw).not.toContain(SECRET_KEY);
  });

  it('ABS cannot be reached → 503 naming the request and the cause', async () => {
    const unreachable = createAbsClient({ url: 'http://127.0.0.1:9', token: SECRET_KEY, maxAttempts: 1 });
    const res = await rematchThrowing(async () => {
      await unreachable.getItem('li_phm');
      throw new Error('expected ABS to fail');
    });
    expect(res).toMatchObject({ status: 503, body: { error: 'NETWORK_ERROR' } });
    expect(res.body.message).toBe('abs: GET /api/items/li_phm failed (ECONNREFUSED)');
    expect(res.raw).not.toContain(SECRET_KEY);
  });
});

describe('the HTTP layer’s own refusals', () => {
  it('401 for a missing token (with the Bearer challenge), 403 cross-site, 415 for a body not JSON', async () => {
    h = await startHarness();
    const missing = await h.server.app.inject({ url: '/api/status' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toEqual({ error: 'UNAUTHORIZED', message: 'send Authorization: Bearer <token>' });
    const cross = await h.server.app.inject(
      post('/api/items/li_phm/rematch', { origin: 'https://evil.example' }),
    );
    expect(cross.statusCode).toBe(403);
    expect(cross.json()).toEqual({ error: 'CROSS_SITE', message: 'cross-site requests are refused' });
    const form = await h.server.app.inject({
      ...post('/api/items/li_phm/rematch', { 'content-type': 'application/x-www-form-urlencoded' }),
      payload: 'refresh=true',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toEqual({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'send the body as application/json',
    });
    expect(h.service.calls).toEqual([]);
  });

  it('400 names every bad field of the body', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      ...post('/api/review/li_wok/approve'),
      payload: { candidate: -1, extra: true },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('BAD_REQUEST');
    expect(body.message).toMatch(/^invalid body: /);
    expect(body.message).toContain('candidate');
    expect(body.message).toContain('extra');
  });
});

describe('the real bridge behind the server', () => {
  it('undo with nothing to undo and approve of a book not in review are 409s; unknown ids 404s', async () => {
    const bridge = await startBridge({
      socket: false,
      responses: { 'clear book': cannedBook('Clear Book') },
    });
    const server = createHttpServer({
      http: ConfigSchema.shape.http.parse({ port: 0, token: TOKEN }),
      service: bridge.bridge,
      events: bridge.runtime.events,
      matcher: matcherOf(bridge.runtime),
      logger: captureLogger().logger,
    });
    try {
      const id = await bridge.addBook({ title: 'Clear Book', author: 'Someone' });
      const ask = async (url: string) => {
        const res = await server.app.inject(post(url));
        return { status: res.statusCode, ...(res.json() as { error: string; message: string }) };
      };
      expect(await ask(`/api/items/${id}/undo`)).toMatchObject({ status: 404, error: 'ITEM_NOT_FOUND' });
      expect((await ask(`/api/items/${id}/rematch`)).status).toBe(200);
      expect(await ask(`/api/review/${id}/approve`)).toEqual({
        status: 409,
        error: 'NOT_IN_REVIEW',
        message: `item ${id} is not waiting for review (its decision is apply)`,
      });
      expect((await ask(`/api/items/${id}/undo`)).status).toBe(200);
      expect(await ask(`/api/items/${id}/undo`)).toMatchObject({
        status: 409,
        error: 'NOTHING_TO_UNDO',
        message: expect.stringContaining(`nothing to undo for item ${id}`),
      });
      expect(await ask('/api/items/li_not_in_abs/rematch')).toEqual({
        status: 404,
        error: 'ABS_ITEM_NOT_FOUND',
        message: 'item li_not_in_abs does not exist in ABS',
      });
    } finally {
      await server.close();
      await bridge.close();
    }
  });
});
