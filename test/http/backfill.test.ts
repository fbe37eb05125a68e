import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;
afterEach(async () => h?.server.close());

const json = { 'content-type': 'application/json' };
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('backfill API', () => {
  it('lists libraries, starts (202), refuses a second (409), reports progress to the end', async () => {
    h = await startHarness();
    const { app } = h.server;
    const libs = await app.inject({ url: '/api/libraries', headers: h.auth });
    expect(libs.json().libraries[0]).toEqual({ id: 'lib_books', name: 'Audiobooks' });
    expect((await app.inject({ url: '/api/backfill', headers: h.auth })).json()).toEqual({ backfill: null });
    const body = JSON.stringify({ libraryId: 'lib_books', mode: 'unmatched', dryRun: true });
    const post = () =>
      app.inject({ method: 'POST', url: '/api/backfill', headers: { ...h.auth, ...json }, body });
    const started = await post();
    expect(started.statusCode).toBe(202);
    expect(started.json().id).toMatch(/[\w-]{8,}/);
    const again = await post();
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'BACKFILL_BUSY' });
    const status = async () => (await app.inject({ url: '/api/backfill', headers: h.auth })).json().backfill;
    await until(async () => (await status()).running === false);
    expect(await status()).toMatchObject({
      libraryId: 'lib_books',
      mode: 'unmatched',
      dryRun: true,
      done: 12,
      total: 12,
      decisions: { apply: 6, review: 3, reject: 3 },
      running: false,
      stopped: false,
    });
    expect(h.service.calls).toContain('backfill:lib_books:unmatched:true');
  });

  it('stops a running backfill: stopped, fewer done', async () => {
    h = await startHarness();
    h.service.backfillLibrary.msPerItem = 100;
    const { app } = h.server;
    const headers = { ...h.auth, ...json };
    const noRun = await app.inject({ method: 'POST', url: '/api/backfill/stop', headers, body: '{}' });
    expect(noRun.statusCode).toBe(409);
    const body = JSON.stringify({ libraryId: 'lib_books', mode: 'all' });
    expect((await app.inject({ method: 'POST', url: '/api/backfill', headers, body })).statusCode).toBe(202);
    const stop = await app.inject({ method: 'POST', url: '/api/backfill/stop', headers, body: '{}' });
    expect(stop.statusCode).toBe(200);
    await until(() => h.service.backfillStatus()?.running === false);
    const last = h.service.backfillStatus();
    expect(last).toMatchObject({ running: false, stopped: true });
    expect(last?.done).toBeLessThan(12);
  });

  it('a bad body is a 400 naming the field; an unknown library a 404', async () => {
    h = await startHarness();
    const { app } = h.server;
    const headers = { ...h.auth, ...json };
    const bad = await app.inject({
      method: 'POST',
      url: '/api/backfill',
      headers,
      body: JSON.stringify({ libraryId: 'lib_books', mode: 'everything' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('mode is all, unmatched or incomplete');
    const noLib = await app.inject({ method: 'POST', url: '/api/backfill', headers, body: '{"mode":"all"}' });
    expect(noLib.statusCode).toBe(400);
    expect(noLib.json().message).toContain('libraryId');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/backfill',
      headers,
      body: JSON.stringify({ libraryId: 'lib_nope', mode: 'all' }),
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('pushes progress over the event stream as backfill events', async () => {
    h = await startHarness();
    const base = await h.server.listen();
    const res = await fetch(`${base}/api/events`, { headers: h.auth });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    await reader.read(); // ": connected"
    await h.service.startBackfill({ libraryId: 'lib_books', mode: 'all' });
    let text = '';
    while (!/"running":false/.test(text)) text += decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^event: backfill\ndata: \{"id":/);
    expect(text).toContain('"done":12,"total":12');
    await reader.cancel();
  });
});
