import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Harness, startHarness } from './support/harness.js';

/** BookMetadata from custom-metadata-provider-specification.yaml, as a zod schema. */
const SpecBook = z.strictObject({
  title: z.string(),
  subtitle: z.string().optional(),
  author: z.string().optional(),
  narrator: z.string().optional(),
  publisher: z.string().optional(),
  publishedYear: z.string().optional(),
  description: z.string().optional(),
  cover: z.string().optional(),
  isbn: z.string().optional(),
  asin: z.string().optional(),
  genres: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  series: z.array(z.strictObject({ series: z.string(), sequence: z.string().optional() })).optional(),
  language: z.string().optional(),
  duration: z.number().int().optional(),
});
const SpecResponse = z.strictObject({ matches: z.array(SpecBook) });
const SpecError = z.strictObject({ error: z.string().min(1) });

/** The requests a real ABS 2.36 sent to a custom provider registered at `…/abs`. */
const recorded = readFileSync(
  new URL('../fixtures/http/custom_provider_requests.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { rawPath: string; headers: Record<string, string>; path: string })
  .filter((r) => r.path === '/abs/search');

let h: Harness;
afterEach(async () => h?.server.close());

describe('ABS custom metadata provider endpoint', () => {
  it('answers every search ABS really sent, in the spec shape', async () => {
    h = await startHarness({ token: 'provider-secret-123' });
    for (const r of recorded) {
      const url = r.rawPath.replace(/^\/abs\//, '/abs-provider/');
      const headers = r.headers.Authorization ? { authorization: r.headers.Authorization } : {};
      const res = await h.server.app.inject({ url, headers });
      if (!r.headers.Authorization) {
        expect(res.statusCode, url).toBe(401);
        expect(SpecError.parse(res.json())).toEqual({ error: 'Unauthorized' });
        continue;
      }
      expect(res.statusCode, url).toBe(200);
      SpecResponse.parse(res.json());
    }
  });

  it('returns the merged book first, mapped to the spec fields (duration in minutes)', async () => {
    h = await startHarness({ token: 'provider-secret-123' });
    const res = await h.server.app.inject({
      url: '/abs-provider/search?mediaType=book&query=Project+Hail+Mary&author=Andy+Weir',
      headers: { authorization: 'Bearer provider-secret-123' },
    });
    const { matches } = SpecResponse.parse(res.json());
    expect(matches[0]).toEqual({
      title: 'Project Hail Mary',
      author: 'Andy Weir',
      narrator: 'Ray Porter',
      publisher: 'Audible Studios',
      publishedYear: '2021',
      description: '<p>A lone astronaut must save the earth.</p>',
      cover: 'https://m.media-amazon.com/images/I/91vS2L5YfEL.jpg',
      asin: 'B08G9PRS1K',
      genres: ['Science Fiction'],
      language: 'English',
      duration: 972,
    });
  });

  it('accepts the bare token (ABS sends the header value verbatim)', async () => {
    h = await startHarness({ token: 'provider-secret-123' });
    const res = await h.server.app.inject({
      url: '/abs-provider/search?query=Project%20Hail%20Mary',
      headers: { authorization: 'provider-secret-123' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().matches.length).toBeGreaterThan(0);
  });

  it('refuses a wrong token in the spec error shape and logs no token', async () => {
    h = await startHarness({ token: 'provider-secret-123' });
    const res = await h.server.app.inject({
      url: '/abs-provider/search?query=Dune',
      headers: { authorization: 'Bearer guess-456' },
    });
    expect(res.statusCode).toBe(401);
    expect(SpecError.parse(res.json())).toEqual({ error: 'Unauthorized' });
    expect(h.lines.join('')).not.toContain('guess-456');
  });

  it.each([
    ['/abs-provider/search?mediaType=book', /query/],
    ['/abs-provider/search?mediaType=book&query=%20%20', /query must not be empty/],
    ['/abs-provider/search?mediaType=podcast&query=Serial', /only "book"/],
    ['/abs-provider/search?mediaType=video&query=x', /mediaType/],
    [`/abs-provider/search?query=${'x'.repeat(600)}`, /query/],
  ])('answers the malformed query %s with a 400 {error}', async (url, message) => {
    h = await startHarness();
    const res = await h.server.app.inject({ url, headers: h.auth });
    expect(res.statusCode).toBe(400);
    expect(SpecError.parse(res.json()).error).toMatch(message);
  });

  it('ignores the isbn=[object Object] ABS sends from its cover search', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      url: '/abs-provider/search?mediaType=book&query=Project+Hail+Mary&isbn=%5Bobject+Object%5D',
      headers: h.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().matches[0].title).toBe('Project Hail Mary');
  });

  it('offers nothing for a book it would reject (ABS quick match takes the first result blindly)', async () => {
    h = await startHarness();
    const res = await h.server.app.inject({
      url: '/abs-provider/search?query=Unknown+Book',
      headers: h.auth,
    });
    expect(res.json()).toEqual({ matches: [] });
  });
});
