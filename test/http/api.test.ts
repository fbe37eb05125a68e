import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN } from './support/harness.js';

let h: Harness;
afterEach(async () => h?.server.close());

const json = { 'content-type': 'application/json' };

describe('auth', () => {
  it('refuses /api without a token, with a wrong one, and logs neither token', async () => {
    h = await startHarness();
    const missing = await h.server.app.inject({ url: '/api/status' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const wrong = await h.server.app.inject({
      url: '/api/status',
      headers: { authorization: 'Bearer not-the-token-xyz' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    const prefix = await h.server.app.inject({
      url: '/api/status',
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
    });
    expect(prefix.statusCode).toBe(401);
    const log = h.lines.join('');
    expect(log).toContain('unauthorised request');
    expect(log).toContain('"reason":"wrong"');
    expect(log).toContain('"reason":"missing"');
    expect(log).not.toContain('not-the-token-xyz');
    expect(log).not.toContain(TOKEN.slice(0, -1));
  });

  it('refuses everything protected when no token is configured, and says how to fix it', async () => {
    h = await startHarness({ token: null });
    const res = await h.server.app.inject({
      url: '/api/items',
      headers: { authorization: 'Bearer anything' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain('ABS_BRIDGE_HTTP_TOKEN');
  });

  it('serves /healthz, /readyz, /metrics and the page without a token', async () => {
    h = await startHarness();
    for (const url of ['/healthz', '/readyz', '/metrics', '/', '/app.js', '/style.css']) {
      expect((await h.server.app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it('does not accept the token as a bare header value on /api (only the ABS endpoint does)', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({ url: '/api/status', headers: { authorization: TOKEN } });
    expect(res.statusCode).toBe(401);
  });
});

describe('cross-site and body guards on POST', () => {
  it('refuses a POST from another origin or marked cross-site', async () => {
    h = await startHarness();
    const url = '/api/items/li_phm/rematch';
    const evil = await h.server.app.inject({
      method: 'POST',
      url,
      headers: { ...h.auth, ...json, origin: 'https://evil.example' },
      payload: {},
    });
    expect(evil.statusCode).toBe(403);
    const site = await h.server.app.inject({
      method: 'POST',
      url,
      headers: { ...h.auth, ...json, 'sec-fetch-site': 'cross-site' },
      payload: {},
    });
    expect(site.statusCode).toBe(403);
    expect(h.service.calls).toEqual([]);
    const same = await h.server.app.inject({
      method: 'POST',
      url,
      headers: {
        ...h.auth,
        ...json,
        origin: 'http://localhost:80',
        host: 'localhost:80',
        'sec-fetch-site': 'same-origin',
      },
      payload: {},
    });
    expect(same.statusCode).toBe(200);
  });

  it('requires a JSON content type (a form post cannot trigger actions)', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/api/review/li_wok/approve',
      headers: { ...h.auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'candidate=0',
    });
    expect(res.statusCode).toBe(415);
    expect(h.service.calls).toEqual([]);
  });

  it('refuses an oversized body with 413 and does nothing', async () => {
    h = await startHarness({ bodyLimitBytes: 1024 });
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/api/items/li_phm/rematch',
      headers: { ...h.auth, ...json },
      payload: JSON.stringify({ refresh: true, pad: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    expect(h.service.calls).toEqual([]);
  });

  it('names unknown or mistyped body fields in a 400', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/api/items/li_phm/rematch',
      headers: { ...h.auth, ...json },
      payload: { refresh: 'yes', force: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/refresh/);
    expect(res.json().message).toMatch(/force/);
  });
});

describe("rematch with a person's hint", () => {
  it('passes title/author or an ASIN through and refuses a malformed one, naming it', async () => {
    h = await startHarness();
    const post = (payload: unknown) =>
      h.server.app.inject({
        method: 'POST',
        url: '/api/items/li_none/rematch',
        headers: { ...h.auth, ...json },
        payload: payload as Record<string, unknown>,
      });
    expect((await post({ hint: { asin: 'b08g9prs1k' } })).json()).toMatchObject({ decision: 'apply' });
    expect(h.service.calls).toContain('rematch:li_none:{"hint":{"asin":"B08G9PRS1K"}}');
    const bad = await post({ hint: { asin: 'B08' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('hint.asin: an ASIN is 10 letters or digits');
    expect((await post({ hint: {} })).json().message).toContain('give a title, an author or an ASIN');
  });
});

describe('events', () => {
  it('streams item outcomes as server-sent events, only with the token', async () => {
    h = await startHarness();
    expect((await h.server.app.inject({ url: '/api/events' })).statusCode).toBe(401);
    const base = await h.server.listen();
    const res = await fetch(`${base}/api/events`, { headers: h.auth });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    await reader.read(); // ": connected"
    await h.service.add('li_new', { title: 'Project Hail Mary', authors: ['Andy Weir'] });
    let text = '';
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^event: item\.applied\ndata: \{"itemId":"li_new","title":"Project Hail Mary"/);
    await reader.cancel();
  });
});

describe('items', () => {
  it('lists recent items newest first with their decisions, honouring limit', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({ url: '/api/items?limit=2', headers: h.auth });
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((i: { itemId: string }) => i.itemId)).toEqual(['li_none', 'li_wok']);
    expect(items[0].decision).toBe('reject');
    const bad = await h.server.app.inject({ url: '/api/items?limit=0', headers: h.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('limit');
  });

  it('filters and pages: total, offset, facets; a bad filter is a 400 naming it', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({ url: '/api/items?decision=review&limit=1', headers: h.auth });
    expect(res.json()).toMatchObject({ total: 1, offset: 0, limit: 1, items: [{ itemId: 'li_wok' }] });
    expect(res.json().facets.providers).toEqual(['audible', 'libation', 'openlibrary']);
    const paged = await h.server.app.inject({ url: '/api/items?limit=2&offset=2', headers: h.auth });
    expect(paged.json()).toMatchObject({ total: 3, items: [{ itemId: 'li_phm' }] });
    const bad = await h.server.app.inject({ url: '/api/items?decision=maybe', headers: h.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('decision');
  });

  it("returns an item's metadata, provenance, conflicts, decision and history", async () => {
    h = await startHarness();
    const res = await h.server.app.inject({ url: '/api/items/li_wok', headers: h.auth });
    expect(res.statusCode).toBe(200);
    const item = res.json();
    expect(item.decision).toBe('review');
    expect(item.result.sources.series).toBe('libation');
    expect(item.result.provenance.series.map((p: { provider: string }) => p.provider)).toEqual([
      'libation',
      'openlibrary',
    ]);
    expect(item.result.conflicts.some((c: { field: string }) => c.field === 'series')).toBe(true);
    expect(item.history[0].action).toBe('review');
  });

  it('answers 404 for an unknown item and 400 for a malformed id', async () => {
    h = await startHarness();
    const missing = await h.server.app.inject({ url: '/api/items/li_nope', headers: h.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: 'ITEM_NOT_FOUND',
      message: 'item li_nope is not known to the bridge',
    });
    const bad = await h.server.app.inject({ url: '/api/items/a%20b', headers: h.auth });
    expect(bad.statusCode).toBe(400);
    const rematch = await h.server.app.inject({
      method: 'POST',
      url: '/api/items/li_nope/rematch',
      headers: { ...h.auth, ...json },
      payload: {},
    });
    expect(rematch.statusCode).toBe(404);
  });

  it('re-matches with the options given and reports the outcome', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/api/items/li_phm/rematch',
      headers: { ...h.auth, ...json },
      payload: { refresh: true, dryRun: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ itemId: 'li_phm', decision: 'apply', dryRun: true, applied: false });
    expect(h.service.calls).toEqual(['rematch:li_phm:{"refresh":true,"dryRun":true}']);
  });

  it('undoes the last apply once, then answers 409', async () => {
    h = await startHarness();
    const req = {
      method: 'POST' as const,
      url: '/api/items/li_phm/undo',
      headers: { ...h.auth, ...json },
      payload: {},
    };
    const first = await h.server.app.inject(req);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ itemId: 'li_phm', restoredFields: ['title'] });
    const second = await h.server.app.inject(req);
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toBe('NOTHING_TO_UNDO');
  });
});

describe('review queue', () => {
  it('lists, approves with a candidate, and refuses approving twice', async () => {
    h = await startHarness();
    const list = await h.server.app.inject({ url: '/api/review', headers: h.auth });
    expect(list.json().items.map((i: { itemId: string }) => i.itemId)).toEqual(['li_wok']);
    const approve = {
      method: 'POST' as const,
      url: '/api/review/li_wok/approve',
      headers: { ...h.auth, ...json },
    };
    const ok = await h.server.app.inject({ ...approve, payload: { candidate: 1 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ decision: 'apply', applied: true });
    expect(h.service.calls).toEqual(['approve:li_wok:1']);
    const again = await h.server.app.inject({ ...approve, payload: {} });
    expect(again.statusCode).toBe(409);
    const negative = await h.server.app.inject({ ...approve, payload: { candidate: -1 } });
    expect(negative.statusCode).toBe(400);
    const unknown = await h.server.app.inject({ ...approve, url: '/api/review/li_zzz/approve', payload: {} });
    expect(unknown.statusCode).toBe(404);
  });

  it('rejects a review item', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/api/review/li_wok/reject',
      headers: { ...h.auth, ...json },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect((await h.service.listReview()).length).toBe(0);
  });
});

describe('unknown routes and failures', () => {
  it('404s unknown paths and hides internal error details', async () => {
    h = await startHarness();
    expect((await h.server.app.inject({ url: '/api/nope', headers: h.auth })).statusCode).toBe(404);
    h.service.recentItems = async () => {
      throw new Error('database exploded at /secret/path');
    };
    const res = await h.server.app.inject({ url: '/api/items', headers: h.auth });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('/secret/path');
    expect(h.lines.join('')).toContain('database exploded');
  });
});
