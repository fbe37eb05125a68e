import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { type MockProviderServer, startMockProviderServer } from '../../mocks/providers/index.js';
import { runDoctor } from '../../src/cli/commands/doctor.js';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { silentLogger } from '../../src/logging.js';

let fake: FakeAbs;
let providers: MockProviderServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  fake = await startFakeAbs({ items: [] });
  const item = fake.addItem({ title: 'Project Hail Mary', author: 'Andy Weir' });
  mkdirSync(join(dir, 'books', item.path.replace(/^\/audiobooks\//, '')), { recursive: true });
  providers = await startMockProviderServer();
});
afterAll(async () => {
  await fake.stop();
  await providers.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(overrides: Partial<ConfigInput> = {}): ConfigInput {
  return {
    dataDir: join(dir, 'data'),
    abs: { url: fake.url, apiKey: fake.apiKey, username: fake.username, password: fake.password },
    pathMappings: [{ abs: '/audiobooks', local: join(dir, 'books') }],
    providers: providers.providersConfig(),
    ...overrides,
  };
}

async function doctor(input: ConfigInput) {
  const lines: string[] = [];
  const results = await runDoctor(parseConfig(input), silentLogger(), (l) => lines.push(l), 3000);
  return { results, lines, byName: Object.fromEntries(results.map((r) => [r.name, r])) };
}

describe('abs-bridge doctor', () => {
  it('passes every check against the fake ABS and the mock providers, one line each', async () => {
    const { results, lines } = await doctor(config());
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'config',
        'ABS reachable',
        'ABS API key',
        'path mapping',
        'ABS socket auth',
        'provider audible',
        'provider custom:mock',
        'cache writable',
      ]),
    );
    expect(lines.every((l) => l.startsWith('✔ '))).toBe(true);
  });

  it('names each failure with a fix: inactive key, unmapped folder, dead provider, bad socket login', async () => {
    const inactive = fake.createApiKey({ isActive: false });
    const { byName, lines } = await doctor(
      config({
        abs: { url: fake.url, apiKey: inactive },
        pathMappings: [{ abs: '/audiobooks', local: join(dir, 'nowhere') }],
        providers: { ...providers.providersConfig(), itunes: { baseUrl: 'http://127.0.0.1:1/' } },
      }),
    );
    expect(byName['ABS API key']).toMatchObject({ status: 'fail', fix: expect.stringContaining('ACTIVE') });
    expect(byName['ABS socket auth']).toMatchObject({ status: 'warn' });
    expect(byName['provider itunes']).toMatchObject({ status: 'fail' });
    expect(byName['provider audible']?.status).toBe('ok');
    expect(lines.join('\n')).not.toContain(inactive);

    const unmapped = await doctor(
      config({
        pathMappings: [{ abs: '/audiobooks', local: join(dir, 'nowhere') }],
        abs: { url: fake.url, apiKey: fake.apiKey, username: 'root', password: 'wrong' },
      }),
    );
    expect(unmapped.byName['path mapping']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('pathMappings'),
    });
    expect(unmapped.byName['ABS socket auth']?.status).toBe('fail');
  });

  it('reports an unreachable ABS and exits 1 through the CLI; bad config exits 2', async () => {
    const file = join(dir, 'bad-abs.json');
    writeFileSync(file, JSON.stringify({ ...config(), abs: { url: 'http://127.0.0.1:1', apiKey: 'k' } }));
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'abs-bridge', '-c', file, 'doctor', '--timeout', '2000'])).toBe(1);
      expect(out.join('')).toContain('✖ ABS reachable');
      process.exitCode = 0;
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ http: { port: 'eighty' } }));
      out.length = 0;
      expect(await main(['node', 'abs-bridge', '-c', broken, 'doctor'])).toBe(2);
      expect(out.join('')).toContain('http.port');
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
  });
});
