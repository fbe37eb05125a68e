import { readFileSync } from 'node:fs';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAbsClient } from '../../src/abs/client.js';
import { AuthError, ProviderError, TimeoutError, ValidationError } from '../../src/errors.js';

/** Error shapes and auth calls against msw handlers built from the recorded ABS answers. */
const dir = new URL('../fixtures/abs/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const BASE = 'http://abs.test/audiobookshelf';
const ITEM = 'e2e7ad2d-d8d3-4c11-bdca-25f8abd1e5e1';
const SECRET = 'secret-api-key-value';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createAbsClient({
    url: 'http://abs.test',
    basePath: 'audiobookshelf/',
    token: SECRET,
    initialDelayMs: 1,
    timeoutMs: 200,
  });

describe('ABS client error handling', () => {
  it('retries 5xx with backoff and then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/items/${ITEM}`, () => {
        calls++;
        return calls < 3
          ? new HttpResponse('Internal Server Error', { status: 503 })
          : HttpResponse.json(load('20_item_get_plain_phm.json'));
      }),
    );
    const item = await client().getItem(ITEM);
    expect(item?.id).toBe(ITEM);
    expect(calls).toBe(3);
  });

  it('gives up after the attempts with a retryable error naming the call', async () => {
    server.use(http.get(`${BASE}/api/libraries`, () => new HttpResponse('Bad Gateway', { status: 502 })));
    const err = (await client()
      .listLibraries()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(502);
    expect(err.message).toContain('GET /api/libraries');
  });

  it('does not retry 401 and never puts the token in the error', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/libraries`, ({ request }) => {
        calls++;
        expect(request.headers.get('authorization')).toBe(`Bearer ${SECRET}`);
        return new HttpResponse(load('04_api_unauthenticated.json')._nonJsonBody, { status: 401 });
      }),
    );
    const err = await client()
      .listLibraries()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(calls).toBe(1);
    expect(String((err as Error).message)).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
  });

  it('keeps plain-text 400 bodies as the message (cover download refused)', async () => {
    server.use(
      http.post(
        `${BASE}/api/items/${ITEM}/cover`,
        () => new HttpResponse('Failed to download image from url', { status: 400 }),
      ),
    );
    const err = (await client()
      .uploadCoverFromUrl(ITEM, 'http://127.0.0.1/x.jpg')
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.status).toBe(400);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Failed to download image from url');
  });

  it('times out slow answers with a TimeoutError', async () => {
    server.use(
      http.get(`${BASE}/api/items/${ITEM}`, async () => {
        await delay(1000);
        return HttpResponse.json({});
      }),
    );
    const c = createAbsClient({
      url: 'http://abs.test',
      basePath: '/audiobookshelf',
      token: SECRET,
      timeoutMs: 50,
      maxAttempts: 1,
    });
    await expect(c.getItem(ITEM)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('rejects a body of the wrong shape with a ValidationError naming the field', async () => {
    server.use(http.get(`${BASE}/api/items/${ITEM}`, () => HttpResponse.json({ id: ITEM, media: {} })));
    const err = (await client()
      .getItem(ITEM)
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.join(' ')).toMatch(/libraryId|path/);
  });
});

describe('ABS client auth calls', () => {
  it('logs in asking for refresh tokens and refreshes with x-refresh-token', async () => {
    server.use(
      http.post(`${BASE}/login`, async ({ request }) => {
        expect(request.headers.get('x-return-tokens')).toBe('true');
        expect(request.headers.get('authorization')).toBeNull();
        return HttpResponse.json(load('05b_login_return_tokens.json'));
      }),
      http.post(`${BASE}/auth/refresh`, ({ request }) => {
        expect(request.headers.get('x-refresh-token')).toBe('the-refresh-token');
        return HttpResponse.json(load('06h_refresh.json'));
      }),
    );
    const login = await client().login('root', 'pw');
    expect(login.user.refreshToken).toBeTruthy();
    const refreshed = await client().refresh('the-refresh-token');
    expect(refreshed.user.accessToken).toBeTruthy();
  });

  it('a wrong password is an AuthError and is not retried (login is rate-limited)', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/login`, () => {
        calls++;
        return new HttpResponse('Unauthorized', { status: 401 });
      }),
    );
    await expect(client().login('root', 'wrong')).rejects.toBeInstanceOf(AuthError);
    expect(calls).toBe(1);
  });

  it('ping is false (not a throw) when ABS is unreachable', async () => {
    server.use(http.get(`${BASE}/ping`, () => HttpResponse.error()));
    expect(await client().ping()).toBe(false);
  });
});
