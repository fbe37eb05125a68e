import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';

/** `abs-bridge run` as a person starts it, with readable output forced (no TTY in a test). */
let fake: FakeAbs;
let child: ChildProcess | undefined;

const quietProviders = {
  ...Object.fromEntries(
    ['audible', 'audnexus', 'openlibrary', 'googlebooks', 'itunes', 'hardcover'].map((id) => [
      id,
      { enabled: false },
    ]),
  ),
  local: {
    tags: { enabled: false },
    sidecars: { enabled: false },
    libation: { enabled: false },
    folder: { enabled: false },
  },
  mock: [
    {
      id: 'mockA',
      responses: {
        'project hail mary': {
          matchConfidence: 0.97,
          fields: {
            title: 'Project Hail Mary',
            authors: [{ name: 'Andy Weir' }],
            narrators: ['Ray Porter'],
            publisher: 'Audible Studios',
          },
        },
      },
    },
  ],
};

function startRun(abs: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'run-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      dataDir: path.join(dir, 'data'),
      cache: { url: 'memory://' },
      abs: { url: fake.url, ...abs },
      http: { port: 0, token: 'r'.repeat(24) },
      providers: quietProviders,
    }),
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', file, 'run'], {
    env: { ...process.env, ABS_BRIDGE_LOG_FORMAT: 'pretty', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let text = '';
  proc.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const waitFor = async (pattern: RegExp, ms = 15_000) => {
    const until = Date.now() + ms;
    while (!pattern.test(text)) {
      if (Date.now() > until) throw new Error(`no ${pattern} in:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { output: () => text, waitFor };
}

beforeAll(async () => {
  fake = await startFakeAbs({ items: [] });
});
afterAll(async () => fake.stop());
afterEach(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('abs-bridge run on a terminal', () => {
  it('says plainly that ABS refused the API key, and never that the bridge is running', async () => {
    const run = startRun({ apiKey: 'not-a-valid-key' });
    await run.waitFor(/ABS refused the API key \(HTTP 401\) — .*ABS_API_KEY.*trying again/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(run.output()).not.toContain('bridge running');
    expect(run.output()).not.toMatch(/^\s+at /m);
    expect(run.output()).not.toMatch(/^\{"level"/m);
  }, 30_000);

  it('says "bridge running" once ABS answers, then one readable line per new book', async () => {
    const run = startRun({ apiKey: fake.apiKey, username: fake.username, password: fake.password });
    await run.waitFor(/INFO {2}bridge running — web page at http:\/\/127\.0\.0\.1:\d+/);
    fake.addItem({ title: 'Project Hail Mary', author: 'Andy Weir' });
    await run.waitFor(/\[books\] Project Hail Mary — applied \d+ fields? from mockA \(0\.\d\d\)/);
    expect(run.output()).not.toMatch(/^\{"level"/m);
  }, 30_000);
});
