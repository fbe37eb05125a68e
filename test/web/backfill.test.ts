import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../http/support/harness.js';
import { hasChromium, openSignedIn } from './browser.js';

let h: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  ({ browser, page } = await openSignedIn(h));
  // The stream is connected, so progress arrives as events.
  await page.waitForFunction(() => document.body.dataset.live === 'on');
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

const text = () => page.locator('#b-text').textContent();
const state = () => page.locator('#backfill-card').getAttribute('data-state');

describe.skipIf(!hasChromium)('backfill from the page', () => {
  it('starts a dry-run backfill of the chosen library and shows progress up to the total', async () => {
    await expect
      .poll(() => page.locator('#b-library option').allTextContents())
      .toEqual(['Audiobooks', 'Radio plays']);
    await page.getByLabel('Backfill mode').selectOption('all');
    await page.getByLabel('dry run').check();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(state).toBe('finished');
    expect(await text()).toBe('12/12 — finished (dry run) — 6 applied · 3 review · 3 not matched');
    expect(await page.locator('#b-bar').evaluate((b: HTMLProgressElement) => [b.value, b.max])).toEqual([
      12, 12,
    ]);
    expect(h.service.calls).toContain('backfill:lib_books:all:true');
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-backfill.png', fullPage: true });
  });

  it('stops a running backfill: the panel says stopped, short of the total', async () => {
    h.service.backfillLibrary.msPerItem = 250;
    await page.getByLabel('dry run').uncheck();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(state).toBe('running');
    await expect.poll(async () => Number((await text())?.split('/')[0])).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(state).toBe('stopped');
    const [done, total] = ((await text()) ?? '').split(' ')[0]?.split('/').map(Number) ?? [];
    expect(total).toBe(12);
    expect(done).toBeLessThan(12);
    expect(await text()).toContain('stopped');
    expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(false);
  });
});
