import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN } from '../http/support/harness.js';
import { hasChromium, launchBrowser, offline, signIn } from './browser.js';
import { duneInReview } from './fixtures.js';

let h: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  h.service.seed(duneInReview());
  base = await h.server.listen();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!hasChromium)('keyboard review', () => {
  it('j/k move through the review queue, a approves and moves on; "Open in ABS" links the item', async () => {
    const page = await offline(await browser.newPage({ viewport: { width: 1280, height: 900 } }));
    await signIn(page, base, TOKEN);
    await page.locator('#review li[data-item]').first().waitFor();
    const first = await page.locator('#review li[data-item]').first().getAttribute('data-item');
    // Two presses in a row (the second comes before the page has opened the first item): the
    // first opens the queue's first book, the second the next one.
    // Both in one task, so the page cannot take in the first before the second (as under load).
    await page.evaluate(() => {
      for (let i = 0; i < 2; i++) document.dispatchEvent(new KeyboardEvent('keydown', { key: 'j' }));
    });
    await expect.poll(() => page.url()).toContain('#item/li_dune');
    await page.keyboard.press('k');
    await expect.poll(() => page.url()).toContain(`#item/${first}`);
    await page.locator('#keys').waitFor(); // shown for an item in review
    await expect
      .poll(() => page.getByRole('link', { name: 'Open in ABS ↗' }).getAttribute('href'))
      .toBe(`http://abs.local/item/${first}`);
    await page.keyboard.press('a');
    await expect.poll(() => h.service.calls).toContain(`approve:${first}:`);
    await expect.poll(() => page.url()).toContain('#item/li_dune');
    // Typing in the search box is not a command.
    await page.getByLabel('Search title or item id').press('r');
    expect(h.service.calls.filter((c) => c.startsWith('reject'))).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!hasChromium)('phone width (390 px)', () => {
  it('fits the screen: no sideways scrolling, candidates stacked, actions reachable', async () => {
    const page = await offline(
      await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true }),
    );
    await signIn(page, base, TOKEN);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.goto(`${base}/#item/li_dune`);
    await page.locator('#compare article').nth(2).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const boxes = await page
      .locator('#compare article')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(new Set(boxes.map(Math.round)).size).toBe(1); // one column
    expect(await page.getByRole('button', { name: 'Re-match' }).isVisible()).toBe(true);
    // The open item comes first on a narrow screen; the queue shows only its rows.
    const top = (selector: string) => page.locator(selector).evaluate((e) => e.getBoundingClientRect().top);
    expect(await top('#item')).toBeLessThan(await top('#review-card'));
    expect(await page.locator('#review').textContent()).not.toContain('null');
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-phone.png', fullPage: true });
    await page.close();
  });
});
