/**
 * Against the real ABS 2.36, through the service's HTTP API as the page uses it: completeness of
 * ABS's own listing, a genre rule previewed over the library, turned on while the service runs,
 * and used by the next match without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/app/service.js';
import { ensureRealAbs, realAbsAvailable } from './harness/server.js';
import { createWorld, type World } from './harness/world.js';

const suite = realAbsAvailable() ? describe : describe.skip;

suite('real ABS: completeness and genre rules from the page', () => {
  let world: World;
  let service: Service | undefined;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${service?.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${service?.runtime.config.http.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const genresOf = async (id: string) =>
    (await world.api.call<{ media: { metadata: { genres: string[] } } }>('GET', `/api/items/${id}`)).media
      .metadata.genres;

  beforeAll(async () => {
    world = await createWorld(await ensureRealAbs(), {
      name: 'page-tidy',
      books: 3,
      seed: 71,
      genreTag: () => 'Science Fiction & Fantasy',
      asProvidersSpell: (books) => books.map((b) => ({ ...b, genres: ['Sci-Fi & Fantasy', 'Unabridged'] })),
    });
    service = await world.startService();
  });
  afterAll(async () => {
    await service?.stop();
    await world?.close();
  });

  it('scores ABS’s listing, previews a rule, turns it on, and the next match uses it', async () => {
    const completeness = await call('GET', `/api/completeness?library=${world.libraryId}&incomplete=true`);
    expect(completeness.status).toBe(200);
    expect(completeness.body.summary).toMatchObject({ books: 3 });
    expect(
      (completeness.body.books as { missing: string[] }[]).every((b) => b.missing.includes('narrators')),
    ).toBe(true);

    const rules = {
      map: {
        'Science Fiction & Fantasy': ['Science Fiction', 'Fantasy'],
        'Sci-Fi & Fantasy': ['Science Fiction', 'Fantasy'],
      },
      block: ['Unabridged'],
      tidyExisting: true,
    };
    world.proxy.reset();
    const preview = await call('POST', '/api/genre-rules/preview', { libraryId: world.libraryId, rules });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ books: 3, changed: 3 });
    expect(world.proxy.writes()).toEqual([]);
    const bad = await call('POST', '/api/genre-rules', { rules: { ...rules, max: 'five' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('max:');

    const on = await call('POST', '/api/genre-rules', { rules });
    expect(on.status).toBe(200);
    expect(on.body.enabled).toEqual({ value: true, source: 'settings' });

    const [first, second] = await world.api.items(world.libraryId);
    const outcome = await call('POST', `/api/items/${first?.id}/rematch`, {});
    expect(outcome.body.decision).toBe('apply');
    expect(await genresOf(first?.id as string)).toEqual(['Science Fiction', 'Fantasy']);
    // Rules change what matches write, nothing else.
    expect(await genresOf(second?.id as string)).toEqual(['Science Fiction & Fantasy']);
  });
});
