import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN } from '../http/support/harness.js';
import { hasChromium, launchBrowser, lineCount, offline, signIn } from './browser.js';

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  base = await h.server.listen();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  page = await offline(await context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

const visible = (selector: string) => page.locator(selector).isVisible();

describe.skipIf(!hasChromium)('states that used to be broken', () => {
  it('signed out, shows only the sign-in box: no lists, no item buttons', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel(/Bridge token/).waitFor();
    expect(await visible('#app')).toBe(false);
    expect(await page.getByRole('button', { name: 'Re-match' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('loading the page logs no "unauthorised request" (favicon included)', async () => {
    expect((await h.server.app.inject({ url: '/favicon.ico' })).statusCode).toBe(200);
    expect(h.lines.join('')).not.toContain('unauthorised request');
  });

  it('keeps the token for a new tab (localStorage)', async () => {
    await signIn(page, base, TOKEN);
    const tab = await offline(await context.newPage());
    await tab.goto(`${base}/`);
    await tab.locator('#status .pill.ok').first().waitFor();
    expect(await tab.locator('#login').isVisible()).toBe(false);
    await tab.close();
  });

  it('with no item open, the item card and its buttons are not shown and do nothing', async () => {
    await page.goto(`${base}/`);
    await page.locator('#recent tr').first().waitFor();
    expect(await visible('#item')).toBe(false);
    expect(await page.getByRole('button', { name: 'Dry run' }).isVisible()).toBe(false);
    // Even a click that reaches the hidden button sends nothing and counts no failure.
    await page.evaluate(() => document.getElementById('rematch-dry')?.click());
    await page.waitForTimeout(200);
    expect(h.service.calls.filter((c) => c.startsWith('rematch'))).toEqual([]);
    expect(await page.locator('#message').textContent()).not.toMatch(/null/);
  });

  it('offers undo only where something was applied', async () => {
    await page.goto(`${base}/#item/li_none`);
    await page.locator('#item-summary .badge').waitFor();
    expect(await page.locator('#item-summary .badge').textContent()).toBe('reject');
    expect(await page.getByRole('button', { name: /Undo/ }).isVisible()).toBe(false);
    await page.goto(`${base}/#item/li_phm`);
    await expect.poll(() => page.locator('#item-h').textContent()).toBe('Project Hail Mary');
    expect(await page.getByRole('button', { name: /Undo/ }).isVisible()).toBe(true);
  });

  it('shows field and source names whole, and the description once', async () => {
    const rows = page.locator('#fields tbody tr');
    await rows.first().waitFor();
    for (const field of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-field')))) {
      expect(await lineCount(page, `#fields tr[data-field="${field}"] th`), field ?? '').toBe(1);
      expect(await lineCount(page, `#fields tr[data-field="${field}"] td.source`), field ?? '').toBe(1);
    }
    const description = await page.locator('#item').textContent();
    expect(description?.split('A lone astronaut').length).toBe(2);
  });

  it('header counts agree with the lists after an action taken elsewhere (the CLI)', async () => {
    await page.goto(`${base}/`);
    await page.locator('#review li[data-item="li_wok"]').waitFor();
    await h.service.reject('li_wok'); // as `abs-bridge review reject` would: no event, no counter
    await page.reload();
    await expect.poll(() => page.locator('#review').textContent()).toContain('Nothing waits for review');
    expect(await page.locator('#status').textContent()).toContain('review 0');
  });
  it('undo restores what the bridge overwrote, says so, and is then gone', async () => {
    await page.goto(`${base}/#item/li_phm`);
    await expect.poll(() => page.locator('#item-h').textContent()).toBe('Project Hail Mary');
    await page.getByRole('button', { name: /Undo/ }).click();
    await expect.poll(() => page.locator('#message').textContent()).toMatch(/[Uu]ndone|[Rr]estored/);
    expect(h.service.calls).toContain('undo:li_phm');
    await expect.poll(() => page.getByRole('button', { name: /Undo/ }).isVisible()).toBe(false);
  });
});
