import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntimeSettings } from '../../src/bridge/state/runtime-settings.js';
import { type Harness, startHarness } from './support/harness.js';
import { startTidyLibrary, type TidyLibrary } from './support/tidy-library.js';

let h: Harness;
let lib: TidyLibrary;
afterEach(async () => {
  await h?.server.close();
  await lib?.close();
});

const json = { 'content-type': 'application/json' };

async function start(config: Parameters<typeof startTidyLibrary>[0] = {}) {
  lib = await startTidyLibrary(config);
  h = await startHarness({ tidy: lib.tidy });
}
const get = (url: string) => h.server.app.inject({ url, headers: h.auth });
const post = (url: string, body: unknown) =>
  h.server.app.inject({
    method: 'POST',
    url,
    headers: { ...h.auth, ...json },
    payload: JSON.stringify(body),
  });

describe('GET /api/completeness', () => {
  it('summarises the whole library and lists the filtered books, lowest score first', async () => {
    await start();
    const all = (await get('/api/completeness?library=lib_books')).json();
    expect(all.summary).toMatchObject({ books: 4, complete: 1 });
    expect(Object.keys(all.summary.missing)[0]).toBe('cover');
    expect(all.books.map((b: { itemId: string }) => b.itemId)).toEqual([
      'li_bare',
      'li_nocover',
      'li_sff',
      'li_full',
    ]);
    const incomplete = (await get('/api/completeness?library=lib_books&incomplete=true')).json();
    expect(incomplete.total).toBe(3);
    expect(incomplete.summary.books).toBe(4);
    const noCover = (await get('/api/completeness?library=lib_books&missing=cover')).json();
    expect(noCover.books.map((b: { itemId: string }) => b.itemId)).toEqual(['li_bare', 'li_nocover']);
    const noPosition = (
      await get(`/api/completeness?library=lib_books&missing=${encodeURIComponent('series position')}`)
    ).json();
    expect(noPosition.books.map((b: { itemId: string }) => b.itemId)).toEqual(['li_sff']);
  });

  it('400 names an unknown field, an unknown parameter and a missing library; 404 for an unknown library', async () => {
    await start();
    const field = await get('/api/completeness?library=lib_books&missing=covr');
    expect(field.statusCode).toBe(400);
    expect(field.json().message).toContain('missing: unknown field "covr"');
    expect(field.json().message).toContain('cover');
    const param = await get('/api/completeness?library=lib_books&incomplet=true');
    expect(param.statusCode).toBe(400);
    expect(param.json().message).toContain('incomplet: unknown key; did you mean "incomplete"?');
    const none = await get('/api/completeness');
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toContain('library: give the ABS library id');
    expect((await get('/api/completeness?library=lib_other')).statusCode).toBe(404);
  });
});

describe('genre rules over the API', () => {
  const proposed = {
    map: { 'Science Fiction & Fantasy': ['Science Fiction', 'Fantasy'] },
    block: ['Unabridged', 'Audible Original'],
  };

  it('lists config rules with their source, previews a proposal without saving it, turns it on', async () => {
    await start({ genres: { map: { 'Sci-Fi': ['Science Fiction'] }, max: 4 } });
    const before = (await get('/api/genre-rules')).json();
    expect(before.enabled).toEqual({ value: false, source: 'config' });
    expect(before.map).toEqual([{ from: 'Sci-Fi', to: ['Science Fiction'], source: 'config' }]);

    const preview = await post('/api/genre-rules/preview', { libraryId: 'lib_books', rules: proposed });
    expect(preview.statusCode).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ libraryId: 'lib_books', books: 4, changed: 2 });
    expect(p.rows).toEqual([
      expect.objectContaining({
        itemId: 'li_sff',
        genres: {
          before: ['Science Fiction & Fantasy', 'Unabridged'],
          after: ['Science Fiction', 'Fantasy'],
        },
        tags: { before: ['to-read'], after: ['to-read'] },
      }),
      // The config's own Sci-Fi mapping runs beside the proposal.
      expect.objectContaining({
        itemId: 'li_nocover',
        genres: { before: ['Sci-Fi', 'Audible Original'], after: ['Science Fiction'] },
      }),
    ]);
    // A preview saves nothing.
    expect((await get('/api/genre-rules')).json().enabled.value).toBe(false);

    const on = await post('/api/genre-rules', { rules: proposed });
    expect(on.statusCode).toBe(200);
    const active = on.json();
    expect(active.enabled).toEqual({ value: true, source: 'settings' });
    expect(active.max).toEqual({ value: 4, source: 'config' });
    expect(active.map).toEqual([
      { from: 'Sci-Fi', to: ['Science Fiction'], source: 'config' },
      { from: 'Science Fiction & Fantasy', to: ['Science Fiction', 'Fantasy'], source: 'settings' },
    ]);
    expect(active.block.map((b: { source: string }) => b.source)).toEqual(['settings', 'settings']);
    // Kept in settings.json (config.json is never written), and read back by a restart.
    const file = path.join(lib.dataDir, 'settings.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ genres: { ...proposed, enabled: true } });
    expect(openRuntimeSettings(lib.dataDir).genres()).toEqual({ ...proposed, enabled: true });
  });

  it('400 for an invalid rule or an unknown key, naming it; nothing is saved', async () => {
    await start();
    const cases: [unknown, string][] = [
      [{ libraryId: 'lib_books', rules: { map: { Horror: 'Thriller' } } }, 'map.Horror:'],
      [{ libraryId: 'lib_books', rules: { max: 0 } }, 'max:'],
      [{ libraryId: 'lib_books', rules: { blok: ['x'] } }, 'blok: unknown key; did you mean "block"?'],
      [{ libraryId: 'lib_books', rules: { block: [''] } }, 'block[0]:'],
      [{ libraryId: 'lib_books', rules: {}, colour: 'red' }, 'colour: unknown key'],
      [{ rules: {} }, 'libraryId: give the ABS library id'],
    ];
    for (const [body, named] of cases) {
      const res = await post('/api/genre-rules/preview', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toBe('BAD_REQUEST');
      expect(res.json().message).toContain(named);
    }
    const bad = await post('/api/genre-rules', { rules: { map: { Horror: [42] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('map.Horror[0]:');
    expect((await post('/api/genre-rules', { rule: {} })).json().message).toContain(
      'rule: unknown key; did you mean "rules"?',
    );
    expect(lib.settings.genres()).toBeUndefined();
    await expect(readFile(path.join(lib.dataDir, 'settings.json'))).rejects.toThrow(/ENOENT/);
  });

  it('404 for a preview over a library ABS does not have', async () => {
    await start();
    const res = await post('/api/genre-rules/preview', { libraryId: 'lib_other', rules: {} });
    expect(res.statusCode).toBe(404);
  });
});
