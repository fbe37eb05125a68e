import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  activeGenreRules,
  mergeGenreRules,
  openRuntimeSettings,
  parseGenreRules,
  withRuntimeSettings,
} from '../../src/bridge/state/runtime-settings.js';
import { parseConfig } from '../../src/config/load.js';
import { cannedBook, type Harness, startHarness } from './harness.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bridge-settings-'));
  dirs.push(dir);
  return dir;
};

describe('runtime settings (settings.json)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('layers the page’s rules over config.json’s: its terms replace the same folded term, lists add up', () => {
    const base = parseConfig({
      genres: { map: { 'Sci-Fi': ['SF'], Horror: ['Horror'] }, block: ['Unabridged'], max: 3 },
    }).genres;
    const own = parseGenreRules({
      map: { 'sci fi': ['Science Fiction'] },
      block: ['unabridged', 'Bestseller'],
    });
    expect(own).toEqual({ map: { 'sci fi': ['Science Fiction'] }, block: ['unabridged', 'Bestseller'] });
    expect(mergeGenreRules(base, own)).toEqual({
      ...base,
      map: { Horror: ['Horror'], 'sci fi': ['Science Fiction'] },
      block: ['Unabridged', 'Bestseller'],
    });
    const active = activeGenreRules(base, own);
    expect(active.map.map((m) => `${m.from}:${m.source}`)).toEqual(['Horror:config', 'sci fi:settings']);
    expect(active.block).toEqual([
      { term: 'Unabridged', source: 'config' },
      { term: 'Bestseller', source: 'settings' },
    ]);
    expect(active.max).toEqual({ value: 3, source: 'config' });
  });

  it('saves atomically (no temp file left) and a restart reads it; a broken file fails the start, naming it', async () => {
    const dir = await tempDir();
    const settings = openRuntimeSettings(dir);
    expect(settings.genres()).toBeUndefined();
    await settings.saveGenres({ enabled: true, block: ['Unabridged'] });
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect(openRuntimeSettings(dir).genres()).toEqual({ enabled: true, block: ['Unabridged'] });
    await expect(settings.saveGenres({ max: -1 })).rejects.toThrow(/max:/);
    expect(settings.genres()).toEqual({ enabled: true, block: ['Unabridged'] });
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ genres: { maxx: 2 } }));
    expect(() => openRuntimeSettings(dir)).toThrow(
      /settings\.json: genres\.maxx: unknown key; did you mean "max"/,
    );
    await writeFile(path.join(dir, 'settings.json'), '{');
    expect(() => openRuntimeSettings(dir)).toThrow(/settings\.json: not JSON/);
  });

  it('a rule turned on while the bridge runs applies from the next item, without a restart', async () => {
    const settings = openRuntimeSettings(await tempDir());
    const genres = ['Science Fiction & Fantasy', 'Unabridged'];
    const harness = await startHarness({
      socket: false,
      bridge: { settings },
      responses: {
        'first book': cannedBook('First Book', { authors: [{ name: 'Someone' }], genres }),
        'second book': cannedBook('Second Book', { authors: [{ name: 'Someone' }], genres }),
      },
    });
    h = harness;
    const genresOf = (id: string) =>
      (harness.fake.expandedItem(id) as { media: { metadata: { genres?: string[] } } }).media.metadata.genres;
    const first = await harness.addBook({ title: 'First Book', author: 'Someone', duration: 3600 });
    expect((await harness.bridge.rematch(first)).decision).toBe('apply');
    expect(genresOf(first)).toEqual(genres);

    await settings.saveGenres({
      enabled: true,
      map: { 'Science Fiction & Fantasy': ['Science Fiction', 'Fantasy'] },
      block: ['Unabridged'],
    });
    const second = await harness.addBook({ title: 'Second Book', author: 'Someone', duration: 3600 });
    expect((await harness.bridge.rematch(second)).decision).toBe('apply');
    expect(genresOf(second)).toEqual(['Science Fiction', 'Fantasy']);
    const record = await harness.bridge.getItem(second);
    expect(record?.history.at(-1)?.note).toContain('mapped by rule: "Science Fiction & Fantasy"');
    // The config object the runtime was built with is not changed: the rules are layered per item.
    expect(harness.runtime.config.genres.enabled).toBe(false);
    expect(withRuntimeSettings(harness.runtime.config, settings).genres.enabled).toBe(true);
    expect(JSON.parse(await readFile(settings.file, 'utf8')).genres.enabled).toBe(true);
  });
});
