import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAbs } from '../../mocks/fake-abs/index.js';
import { configForLibrary, lookupForLibrary } from '../../src/bridge/pipeline/library-policy.js';
import { parseConfig } from '../../src/config/load.js';
import { cannedBook, type Harness, startHarness } from './harness.js';

describe('per-library policy', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a library overrides what it sets and inherits the rest', () => {
    const config = parseConfig({
      bridge: { fieldPolicy: { description: 'overwrite' }, sidecars: ['opf'] },
      genres: { block: ['Unabridged'] },
      libraries: {
        lib_de: {
          bridge: { defaultPolicy: 'overwrite', fieldPolicy: { title: 'locked' } },
          genres: { enabled: true },
        },
      },
    });
    const de = configForLibrary(config, 'lib_de');
    expect(de.bridge.defaultPolicy).toBe('overwrite');
    expect(de.bridge.fieldPolicy).toEqual({ description: 'overwrite', title: 'locked' });
    expect(de.bridge.sidecars).toEqual(['opf']);
    expect(de.genres).toMatchObject({ enabled: true, block: ['Unabridged'], max: 5 });
    expect(configForLibrary(config, 'lib_en')).toBe(config);
  });

  it('an unknown key in a library policy names its path', () => {
    expect(() => parseConfig({ libraries: { x: { bridge: { defaultPolicey: 'overwrite' } } } })).toThrow(
      /libraries\.x\.bridge\.defaultPolicey/,
    );
  });

  it("the bridge writes one library's books by that library's policy", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'bridge-lib-policy-'));
    const fake = await startFakeAbs({ items: [], libraryRoot: root });
    h = await startHarness({
      fake,
      root,
      socket: false,
      responses: { 'policy book': cannedBook('Policy Book', { authors: [{ name: 'Someone' }] }) },
      config: { libraries: { [fake.libraryId]: { bridge: { defaultPolicy: 'overwrite' } } } },
    });
    const id = await h.addBook({
      title: 'Policy Book',
      author: 'Someone',
      publishedYear: '1999',
      duration: 3600,
    });
    const outcome = await h.bridge.rematch(id);
    expect(outcome.decision).toBe('apply');
    // Top level is fill-empty; this library overwrites: the year from the provider replaces 1999.
    expect(outcome.changes.map((c) => c.field)).toContain('publishedYear');
  });

  it('a library names its network providers and region; other libraries keep every provider', () => {
    const config = parseConfig({ libraries: { lib_de: { providers: ['audible'], region: 'de' } } });
    expect(lookupForLibrary(config, 'lib_de')).toEqual({ networkProviders: ['audible'], region: 'de' });
    expect(lookupForLibrary(config, 'lib_en')).toEqual({});
  });

  it("a library's books are asked only of its providers (local ones always run)", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'bridge-lib-providers-'));
    const fake = await startFakeAbs({ items: [], libraryRoot: root });
    h = await startHarness({
      fake,
      root,
      socket: false,
      responses: { 'quiet book': cannedBook('Quiet Book', { authors: [{ name: 'Someone' }] }) },
      config: { libraries: { [fake.libraryId]: { providers: [] } } },
    });
    const id = await h.addBook({ title: 'Quiet Book', author: 'Someone', duration: 3600 });
    await h.bridge.rematch(id);
    const asked = (await h.bridge.getItem(id))?.result?.providers.map((p) => p.provider) ?? [];
    expect(asked).not.toContain('canned');
    expect(asked).toContain('local-folder');
  });
});
