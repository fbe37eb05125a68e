import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemRecord } from '../../src/bridge/service/types.js';
import { type Harness, startHarness } from '../http/support/harness.js';
import { hasChromium, openSignedIn } from './browser.js';

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;

const DECISIONS = ['apply', 'apply', 'review', 'reject', 'wait'] as const;
const SEEDED = 600;

/** 600 processed books over two libraries and three providers, oldest first. */
function seedLibrary(harness: Harness) {
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < SEEDED; i++) {
    const at = new Date(start + i * 60_000).toISOString();
    const provider = ['audible', 'audnexus', 'openlibrary'][i % 3] as string;
    harness.service.seed({
      itemId: `li_${String(i).padStart(4, '0')}`,
      libraryId: i % 2 === 0 ? 'lib_fiction' : 'lib_kids',
      title: i === 123 ? 'Words of Radiance' : `Book number ${i}`,
      decision: DECISIONS[i % DECISIONS.length],
      confidence: 0.5 + (i % 50) / 100,
      updatedAt: at,
      history: [{ at, action: 'applied', changedFields: ['title'] }],
      result: { sources: { title: provider } } as ItemRecord['result'],
    });
  }
}

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  seedLibrary(h);
  ({ browser, page, base } = await openSignedIn(h));
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

const info = () => page.locator('#page-info').textContent();
const total = SEEDED + 3; // and the harness's three books

describe.skipIf(!hasChromium)('library view: filters and paging over 600 items', () => {
  it('pages 50 at a time, newest first', async () => {
    await expect.poll(info).toBe(`1–50 of ${total}`);
    expect(await page.locator('#recent tr').count()).toBe(50);
    expect(await page.locator('#prev').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(info).toBe(`51–100 of ${total}`);
    expect(await page.locator('#recent tr').first().getAttribute('data-item')).toBe('li_0549');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(info).toBe(`1–50 of ${total}`);
  });

  it('searches by title', async () => {
    await page.getByLabel('Search title or item id').fill('radiance');
    await expect.poll(info).toBe('1–1 of 1');
    expect(await page.locator('#recent tr a').textContent()).toBe('Words of Radiance');
    await page.getByLabel('Search title or item id').fill('');
    await expect.poll(info).toBe(`1–50 of ${total}`);
  });

  it('filters by decision, library and provider together, and back to page one', async () => {
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(info).toMatch(/^51–/);
    await page.getByLabel('Decision', { exact: true }).selectOption('reject');
    await expect.poll(info).toBe('1–50 of 121'); // 120 seeded + "Unknown Book"
    await page.getByLabel('Library', { exact: true }).selectOption('lib_kids');
    await expect.poll(info).toBe('1–50 of 60');
    await page.getByLabel('Provider', { exact: true }).selectOption('openlibrary');
    await expect.poll(info).toBe('1–20 of 20');
    for (const badge of await page.locator('#recent .badge').allTextContents()) expect(badge).toBe('reject');
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-library.png', fullPage: true });
  });

  it('the review queue shows its first few and links to all of them', async () => {
    expect(await page.locator('#review li[data-item]').count()).toBe(8);
    await page.getByRole('button', { name: /Show all 121 in review/ }).click();
    await expect.poll(info).toBe('1–50 of 121');
    expect(await page.getByLabel('Decision', { exact: true }).inputValue()).toBe('review');
  });
});

describe.skipIf(!hasChromium)('live updates', () => {
  it('shows a book the bridge just applied without reloading (server-sent events, no polling)', async () => {
    await page.goto(`${base}/`);
    await expect.poll(info).toBe(`1–50 of ${total}`);
    await page.locator('body[data-live="on"]').waitFor();
    await page.waitForTimeout(400); // the catch-up refresh after connecting
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await h.service.add('li_live', { title: 'Project Hail Mary', authors: ['Andy Weir'] });
    // The event, a 300 ms debounce and four API calls: allow for a loaded machine.
    await expect.poll(info, { timeout: 10_000 }).toBe(`1–50 of ${total + 1}`);
    expect(await page.locator('#recent tr').first().getAttribute('data-item')).toBe('li_live');
    expect(await page.locator('#live').textContent()).toBe('Project Hail Mary applied');
    // Quiet page: nothing asked for until the next event.
    requests.length = 0;
    await page.waitForTimeout(6000);
    expect(requests).toEqual([]);
  }, 20_000);
});
