import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { type MockProviderServer, startMockProviderServer } from '../../mocks/providers/index.js';
import { type Service, startService } from '../../src/app/service.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logging.js';

let fake: FakeAbs;
let providers: MockProviderServer;
let dir: string;
let service: Service;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'service-'));
  fake = await startFakeAbs({ items: [] });
  providers = await startMockProviderServer();
  const config = parseConfig({
    dataDir: join(dir, 'data'),
    cache: { url: `sqlite://${join(dir, 'data', 'cache.sqlite')}` },
    abs: { url: fake.url, apiKey: fake.apiKey, username: fake.username, password: fake.password },
    providers: providers.providersConfig(),
    http: { port: 0 },
    bridge: { sidecars: [], writeCover: false },
  });
  service = await startService(config, silentLogger());
});
afterAll(async () => {
  await service?.stop();
  await providers?.close();
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the running service (what `abs-bridge run` starts)', () => {
  it('generates a token into dataDir (0600) when none is configured, and requires it', async () => {
    expect(service.tokenFile).toBe(join(dir, 'data', 'http-token'));
    expect(statSync(service.tokenFile!).mode & 0o777).toBe(0o600);
    const token = readFileSync(service.tokenFile!, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await fetch(`${service.url}/api/status`)).status).toBe(401);
    const ok = await fetch(`${service.url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it('is ready once the socket authenticated, with the SQLite cache writable', async () => {
    await expect
      .poll(async () => (await fetch(`${service.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(200);
    const body = await (await fetch(`${service.url}/readyz`)).json();
    expect(body.checks).toEqual({ absReachable: true, socketAuthenticated: true, cacheWritable: true });
  });

  it('processes a book ABS adds and shows it in the API, the ABS provider endpoint and /metrics', async () => {
    const token = readFileSync(service.tokenFile!, 'utf8').trim();
    const auth = { authorization: `Bearer ${token}` };
    const item = fake.addItem({ title: 'Project Hail Mary', author: 'Andy Weir', asin: 'B08G9PRS1K' });
    await expect
      .poll(async () => (await service.bridge.getItem(item.id))?.decision, { timeout: 40_000, interval: 250 })
      .toBe('apply');
    const res = await fetch(`${service.url}/api/items/${item.id}`, { headers: auth });
    const record = await res.json();
    expect(record.result.sources.narrators).toBeDefined();
    expect(record.history.map((h: { action: string }) => h.action)).toContain('applied');
    const search = await fetch(
      `${service.url}/abs-provider/search?mediaType=book&query=Project+Hail+Mary&author=Andy+Weir`,
      {
        headers: { authorization: token },
      },
    );
    expect((await search.json()).matches[0]).toMatchObject({
      title: 'Project Hail Mary',
      asin: 'B08G9PRS1K',
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^abs_bridge_items_total\{decision="apply"\} [1-9]/m);
  });
});

describe('npm run demo', () => {
  it('starts quietly, shows every state (applied, review, not matched, a person’s edit kept), exits with --once', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--once', '0', '--port', '0'],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/Web page: {2}http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(/Token: {5}demo-/);
    expect(out).toMatch(/apply +\d+% +Project Hail Mary/);
    expect(out).toMatch(/review +\d+% +Project Hail Mary/);
    expect(out).toMatch(/reject +0% +A Book Nobody Has Heard Of/);
    expect(out).toContain('kept publisher: a person edited it in ABS');
    // Quiet: no warning at start (the book lines are info; nothing at warn or above).
    expect(err).not.toMatch(/"level":[456]0|WARN|ERROR/);
    expect(err).toMatch(/Project Hail Mary — applied \d+ fields from /);
    expect(code).toBe(0);
  }, 120_000);
});
