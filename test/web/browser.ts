import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { vi } from 'vitest';
import { type Harness, TOKEN } from '../http/support/harness.js';

// Chromium and the bridge share a small machine with other work: polled assertions get 5 s, not 1.
vi.setConfig({ expect: { poll: { timeout: 5_000, interval: 50 } } });

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI needs chromium at ${CHROMIUM}`);
if (!hasChromium) console.warn(`SKIPPING the browser tests: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

/** Headless chromium; launch() gives every run a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Aborts every request that leaves the machine: a test never fetches a provider's CDN. */
export async function offline(page: Page): Promise<Page> {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  return page;
}

/** Signs in through the form and waits for the status pills. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel(/Bridge token/).fill(token);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.locator('#status .pill.ok').first().waitFor();
}

/** How many lines a cell's text takes: 1 when no word was broken or wrapped. */
export function lineCount(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node.firstChild ?? node);
    const tops = new Set(
      Array.from(range.getClientRects() as ArrayLike<DOMRect>).map((r) => Math.round(r.top)),
    );
    return tops.size;
  });
}

/** The harness's page in a new headless chromium, offline and signed in; the caller closes the browser. */
export async function openSignedIn(
  h: Harness,
  viewport = { width: 1280, height: 900 },
): Promise<{ browser: Browser; page: Page; base: string }> {
  const base = await h.server.listen();
  const browser = await launchBrowser();
  const page = await offline(await browser.newPage({ viewport }));
  await signIn(page, base, TOKEN);
  return { browser, page, base };
}
