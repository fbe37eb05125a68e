import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createAbsClient } from '../../src/abs/client.js';
import type { AbsClient } from '../../src/abs/types.js';
import { AuthError, ProviderError } from '../../src/errors.js';

const PHM = 'e2e7ad2d-d8d3-4c11-bdca-25f8abd1e5e1';

describe('ABS client against the fake ABS (base path /audiobookshelf)', () => {
  let fake: FakeAbs;
  let client: AbsClient;
  beforeAll(async () => {
    fake = await startFakeAbs({ basePath: '/audiobookshelf' });
    client = createAbsClient({
      url: fake.origin,
      basePath: '/audiobookshelf',
      token: fake.apiKey,
      initialDelayMs: 5,
    });
  });
  afterAll(() => fake.stop());

  it('reads plain and expanded items, and null for an unknown id', async () => {
    const plain = await client.getItem(PHM);
    expect(plain?.media.metadata.title).toBe('Project Hail Mary');
    expect(plain?.media.metadata.authorName).toBeUndefined();
    expect(plain?.libraryFiles?.length).toBeGreaterThan(0);
    const expanded = await client.getItem(PHM, { expanded: true });
    expect(expanded?.media.metadata.authorName).toBe('Andy Weir');
    expect(expanded?.media.duration).toBeGreaterThan(0);
    expect(await client.getItem('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('lists book libraries and pages through minified items', async () => {
    const [lib] = await client.listLibraries();
    expect(lib?.mediaType).toBe('book');
    const page = await client.listLibraryItems(fake.libraryId, {
      limit: 4,
      page: 1,
      sort: 'media.metadata.title',
    });
    expect(page.total).toBe(6);
    expect(page.results).toHaveLength(2);
    expect(page.results[0]?.libraryFiles).toBeUndefined();
    const all: string[] = [];
    for await (const item of client.iterateLibraryItems(fake.libraryId, { limit: 4 })) all.push(item.id);
    expect(new Set(all).size).toBe(6);
  });

  it('reports a no-op PATCH as updated:false and an effective one as true', async () => {
    const item = fake.plainItem(PHM) as { media: { metadata: { title: string } } };
    const same = await client.patchMedia(PHM, { metadata: { title: item.media.metadata.title } });
    expect(same.updated).toBe(false);
    const changed = await client.patchMedia(PHM, { tags: ['bridge:matched'] });
    expect(changed.updated).toBe(true);
    expect(changed.libraryItem.media.tags).toEqual(['bridge:matched']);
  });

  it('turns 401 into AuthError and keeps plain-text error bodies', async () => {
    const inactive = fake.createApiKey({ name: 'inactive' });
    const bad = createAbsClient({ url: fake.url, token: inactive });
    await expect(bad.getItem(PHM)).rejects.toBeInstanceOf(AuthError);
    const err = await client.setCoverPath(PHM, 'https://example.com/c.jpg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toContain('Invalid cover path');
  });
});
