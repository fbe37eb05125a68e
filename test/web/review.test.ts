import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../http/support/harness.js';
import { hasChromium, openSignedIn } from './browser.js';
import { duneInReview } from './fixtures.js';

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  h.service.seed(duneInReview());
  ({ browser, page, base } = await openSignedIn(h));
});

afterAll(async () => {
  await browser?.close();
  await h?.server.close();
});

describe.skipIf(!hasChromium)('review and dry run', () => {
  it('shows the item as ABS has it beside each candidate, with the reasons in words', async () => {
    await page.goto(`${base}/#item/li_dune`);
    const cards = page.locator('#compare article');
    await expect.poll(() => cards.count()).toBe(3);
    expect(await cards.nth(0).locator('h4').textContent()).toBe('In ABS now');
    expect(await cards.nth(0).locator('[data-field="narrators"] dd').textContent()).toBe('Simon Vance');
    expect(await cards.nth(0).locator('[data-field="durationSeconds"] dd').textContent()).toBe('21 h 25 min');
    const first = await cards.nth(1).locator('.why').textContent();
    expect(first).toContain('length 2 min off');
    expect(first).toContain('narrator differs');
    const second = await cards.nth(2).locator('.why').textContent();
    expect(second).toContain('length 14 min off');
    expect(second).toContain('narrator matches');
    expect(second).toContain('year 2023 ≠ 2007');
    // A value that differs from ABS's is marked.
    expect(await cards.nth(1).locator('[data-field="narrators"]').getAttribute('class')).toContain('differs');
    expect(await cards.nth(2).locator('[data-field="narrators"]').getAttribute('class')).not.toContain(
      'differs',
    );
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-review.png', fullPage: true });
  });

  it('approves the chosen candidate', async () => {
    await page.locator('#compare article').nth(2).getByRole('button', { name: 'Use this one' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toContain('Applied candidate 2');
    expect(h.service.calls).toContain('approve:li_dune:1');
    await expect.poll(() => page.locator('#compare button').count()).toBe(0);
  });

  it('a dry run shows each field old → new with its provider, and writes nothing', async () => {
    await page.goto(`${base}/#item/li_phm`);
    await expect.poll(() => page.locator('#item-h').textContent()).toBe('Project Hail Mary');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const row = page.locator('#diff tr[data-field="narrators"]');
    await row.waitFor();
    expect(await row.locator('td.old').textContent()).toBe('—');
    expect(await row.locator('td.new').textContent()).toBe('Ray Porter');
    expect(await row.locator('td.source').textContent()).toBe('audible');
    expect(await page.locator('#diff-summary').textContent()).toMatch(
      /would apply — \d+ fields would change.*Nothing was written/,
    );
    expect(h.service.calls).toContain('rematch:li_phm:{"dryRun":true}');
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-dry-run.png', fullPage: true });
  });
});

describe.skipIf(!hasChromium)('a rejected book: search again, paste an ASIN', () => {
  it('opens with the search and matches by the title and author a person types', async () => {
    await page.goto(`${base}/#item/li_none`);
    await expect.poll(() => page.locator('#item-h').textContent()).toBe('Unknown Book');
    expect(await page.locator('#search-again').getAttribute('open')).not.toBeNull();
    await page.getByLabel('Title to search').fill('Project Hail Mary');
    await page.getByLabel('Author to search').fill('Andy Weir');
    await page.getByRole('button', { name: 'Search again' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toContain('Searched again — apply');
    expect(h.service.calls).toContain(
      'rematch:li_none:{"hint":{"title":"Project Hail Mary","author":"Andy Weir"}}',
    );
    await expect.poll(() => page.locator('#item-summary .badge').textContent()).toBe('apply');
  });

  it('takes a pasted ASIN', async () => {
    await h.service.add('li_rip', { title: 'rip_0042' });
    await page.goto(`${base}/#item/li_rip`);
    await expect.poll(() => page.locator('#item-summary .badge').textContent()).toBe('reject');
    await page.getByLabel('ASIN').fill('b08g9prs1k');
    await page.getByRole('button', { name: 'Search again' }).click();
    await expect.poll(() => page.locator('#item-summary .badge').textContent()).toBe('apply');
    expect(h.service.calls).toContain('rematch:li_rip:{"hint":{"asin":"B08G9PRS1K"}}');
    if (process.env.WEB_SCREENSHOTS) await page.screenshot({ path: 'docs/web-search-again.png' });
  });
});
