import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MockProviderServer, startMockProviderServer } from '../../../mocks/providers/index.js';
import { main } from '../../../src/cli/main.js';

function tempFile(name: string, content: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'providers-e2e-')), name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const localOff = {
  tags: { enabled: false },
  sidecars: { enabled: false },
  libation: { enabled: false },
  folder: { enabled: false },
};

describe('abs-bridge identify against the local mock provider server', () => {
  let mock: MockProviderServer;
  let out: string[];
  beforeAll(async () => {
    mock = await startMockProviderServer({ port: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  const identify = async (ctx: unknown) => {
    const config = tempFile('config.json', {
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'data-')),
      cache: { url: 'memory://' },
      logging: { level: 'silent' },
      providers: { ...mock.providersConfig(), local: localOff },
    });
    const code = await main([
      'node',
      'abs-bridge',
      '--config',
      config,
      'identify',
      '--context',
      tempFile('ctx.json', ctx),
      '--json',
    ]);
    return { code, output: JSON.parse(out.join('')) };
  };

  it('merges several providers with provenance, follows the ASIN to Audnexus, and decides', async () => {
    const { code, output } = await identify({
      title: "Harry Potter and the Sorcerer's Stone",
      authors: ['J.K. Rowling'],
      durationSeconds: 498 * 60,
    });
    expect(code).toBe(0);
    expect(output.decision).toBe('apply');
    expect(output.metadata).toMatchObject({
      title: "Harry Potter and the Sorcerer's Stone",
      asin: 'B017V4IM1G',
      narrators: ['Jim Dale'],
      publishedYear: '1997',
      language: 'English',
      series: [
        { name: 'Harry Potter', sequence: '1' },
        { name: 'Wizarding World Collection', sequence: '1' },
      ],
    });
    expect(output.metadata.chapters.length).toBeGreaterThan(10);
    const providersOfTitle = output.provenance.title.map((p: { provider: string }) => p.provider);
    expect(providersOfTitle).toEqual(expect.arrayContaining(['audnexus', 'audible', 'custom:mock']));
    expect(output.provenance.title.find((p: { provider: string }) => p.provider === 'audnexus').raw).toBe(
      "Harry Potter and the Sorcerer's Stone, Book 1",
    );
    const asked = new Set(mock.requests.map((r) => r.provider));
    expect([...asked]).toEqual(
      expect.arrayContaining([
        'audible',
        'audnexus',
        'hardcover',
        'openlibrary',
        'googlebooks',
        'itunes',
        'custom',
      ]),
    );
  });

  it('a book no provider knows is rejected, not guessed', async () => {
    const { code, output } = await identify({ title: 'Zzyzx Qwerty Plonk', authors: ['Nobody Known'] });
    expect(code).toBe(0);
    expect(output.decision).toBe('reject');
  });
});
