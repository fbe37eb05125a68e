import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../http/support/harness.js';
import { startTidyLibrary, type TidyLibrary } from '../http/support/tidy-library.js';
import { hasChromium, openSignedIn } from './browser.js';

let h: Harness;
let lib: TidyLibrary;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  // config.json blocks one term; the page adds its own rules beside it.
  lib = await startTidyLibrary({ genres: { block: ['Audible Original'] } });
  h = await startHarness({ tidy: lib.tidy });
  ({ browser, page } = await openSignedIn(h, { width: 1280, height: 1000 }));
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
  await lib?.close();
});

const rowsOf = (table: string) =>
  page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')));
const activeRules = async () =>
  (await h.server.app.inject({ url: '/api/genre-rules', headers: h.auth })).json();

describe.skipIf(!hasChromium)('tidy library on the page', () => {
  it('shows the completeness summary and filters the books', async () => {
    await expect
      .poll(() => page.locator('#c-summary').textContent())
      .toBe('4 books · 1 complete · 3 incomplete · average score 75%');
    expect(await page.locator('#c-most').textContent()).toMatch(/^Missing most: cover 2 · /);
    expect(await rowsOf('#c-books')).toEqual(['li_bare', 'li_nocover', 'li_sff', 'li_full']);
    expect(await page.locator('#c-books tr[data-item="li_nocover"]').textContent()).toContain(
      'missing cover',
    );

    await page.getByLabel('Show books').selectOption({ label: 'Missing cover' });
    await expect.poll(() => rowsOf('#c-books')).toEqual(['li_bare', 'li_nocover']);
    await page.getByLabel('Show books').selectOption({ label: 'Incomplete only' });
    await expect.poll(() => rowsOf('#c-books')).toEqual(['li_bare', 'li_nocover', 'li_sff']);
    // The summary stays the library's, whatever the filter.
    expect(await page.locator('#c-summary').textContent()).toContain('4 books');
  });

  it('writes a rule, previews what it would change, and turns it on', async () => {
    const rules = page.locator('#rules-active');
    await expect.poll(() => rules.textContent()).toContain('blocked: Audible Original config');
    expect(await page.locator('#rules-state').textContent()).toBe('off');

    await page.getByLabel('Map from term').fill('Science Fiction & Fantasy');
    await page.getByLabel('Map to terms').fill('Science Fiction, Fantasy');
    await page.getByRole('button', { name: 'Add a mapping' }).click();
    await page.getByLabel('Map from term').nth(1).fill('Sci-Fi');
    await page.getByLabel('Map to terms').nth(1).fill('Science Fiction');
    await page.getByLabel(/^Blocklist/).fill('Unabridged');

    // A bad cap is refused by the API, and the page says what was wrong.
    await page.getByLabel(/genres per book/).fill('0');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toContain('max:');
    await page.getByLabel(/genres per book/).fill('3');

    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => page.locator('#rules-summary').textContent())
      .toBe('2 of 4 books would change (nothing is written by a preview)');
    expect(await rowsOf('#rules-changes')).toEqual(['li_sff', 'li_nocover']);
    const sff = page.locator('#rules-changes tr[data-item="li_sff"]');
    expect(await sff.locator('td.old').textContent()).toBe('Science Fiction & Fantasy, Unabridged');
    expect(await sff.locator('td.new').textContent()).toBe('Science Fiction, Fantasy');
    // Config's block and the page's map together: "Audible Original" goes, "Sci-Fi" is mapped.
    expect(await page.locator('#rules-changes tr[data-item="li_nocover"] td.new').textContent()).toBe(
      'Science Fiction',
    );
    // Previewing turned nothing on.
    expect((await activeRules()).enabled.value).toBe(false);

    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.locator('#rules-state').textContent()).toBe('on');
    expect(await page.locator('#message').textContent()).toBe(
      'Genre rules turned on: they apply from the next book matched.',
    );
    const active = await activeRules();
    expect(active.enabled).toEqual({ value: true, source: 'settings' });
    expect(active.max).toEqual({ value: 3, source: 'settings' });
    expect(active.map).toEqual([
      { from: 'Science Fiction & Fantasy', to: ['Science Fiction', 'Fantasy'], source: 'settings' },
      { from: 'Sci-Fi', to: ['Science Fiction'], source: 'settings' },
    ]);
    expect(active.block).toEqual([
      { term: 'Audible Original', source: 'config' },
      { term: 'Unabridged', source: 'settings' },
    ]);
    expect(lib.settings.genres()?.enabled).toBe(true);
    // The editor shows what is now saved.
    expect(await page.getByLabel('Map from term').first().inputValue()).toBe('Science Fiction & Fantasy');
    expect(await rules.textContent()).toContain('Sci-Fi → Science Fiction settings');
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-tidy.png', fullPage: true });
  });
});
