import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../http/support/harness.js';
import { hasChromium, openSignedIn } from './browser.js';

// A 1×1 PNG, as a provider's CDN would send a cover.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/eL9GtQAAAABJRU5ErkJggg==',
  'base64',
);

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'covers-'));
const fetched: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  const cdn = (async (url: string | URL | Request) => {
    fetched.push(String(url));
    return new Response(PNG, { headers: { 'content-type': 'image/png' } });
  }) as typeof fetch;
  h = await startHarness({ covers: { dir, fetch: cdn } });
  ({ browser, page, base } = await openSignedIn(h));
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

describe.skipIf(!hasChromium)('covers', () => {
  it('are served by the bridge, fetched once and kept on disk; the page never asks a CDN', async () => {
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).host));
    await page.goto(`${base}/#item/li_phm`);
    const cover = page.locator('#item-cover img');
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(await cover.getAttribute('src')).toMatch(/^blob:/);
    expect([...hosts].filter((host) => !host.startsWith('127.0.0.1'))).toEqual([]);
    expect(fetched).toEqual(['https://m.media-amazon.com/images/I/91vS2L5YfEL.jpg']);
    expect(readdirSync(dir).length).toBe(2); // the image and its type
    // Another page load (the bridge's memory is no help: a fresh page) reads it from disk.
    await page.reload();
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(fetched).toHaveLength(1);
  });

  it('answer 404 for an item without one, and only with the token', async () => {
    expect((await h.server.app.inject({ url: '/api/covers/li_none', headers: h.auth })).statusCode).toBe(404);
    expect((await h.server.app.inject({ url: '/api/covers/li_phm' })).statusCode).toBe(401);
  });
});
