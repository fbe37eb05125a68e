import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { buildProgram, main } from '../../src/cli/main.js';

let fake: FakeAbs;
let out: string[];
let err: string[];

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
};

function configFile(overrides: Record<string, unknown> = {}, abs: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const file = path.join(dir, 'config.json');
  const config = {
    dataDir: path.join(dir, 'data'),
    cache: { url: 'memory://' },
    logging: { level: 'silent' },
    abs: { url: fake.url, apiKey: fake.apiKey, ...abs },
    providers: quietProviders,
    ...overrides,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const run = (...args: string[]) => main(['node', 'abs-bridge', ...args]);
const stderr = () => err.join('');
const stdout = () => out.join('');

/** One line, naming the problem, with no stack frame. */
function expectOneLineError(pattern: RegExp) {
  const text = stderr().trim();
  expect(text.split('\n')).toHaveLength(1);
  expect(text).toMatch(pattern);
  expect(text).not.toMatch(/\n\s+at |"stack"/);
}

beforeAll(async () => {
  fake = await startFakeAbs({ items: [] });
  fake.addItem({ title: 'Project Hail Mary', author: 'Andy Weir' });
  fake.addItem({ title: 'The Martian', author: 'Andy Weir' });
  fake.addItem({ title: 'Dune', author: 'Frank Herbert' });
});
afterAll(async () => fake.stop());

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('abs-bridge explains itself', () => {
  it('--version prints the package version', async () => {
    expect(await run('--version')).toBe(0);
    expect(stdout().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('no command prints the overview and exits 0', async () => {
    expect(await run()).toBe(0);
    expect(stdout()).toContain('Usage: abs-bridge');
    expect(stdout()).toContain('libraries');
  });

  it.each([['review', 'list'], ['review', 'approve'], ['review', 'reject'], ['match'], ['run'], ['items']])(
    '%s --help describes the command and the environment it reads',
    async (...words) => {
      expect(await run(...words.filter(Boolean), '--help')).toBe(0);
      const help = stdout();
      const usage = help.split('\n')[0] ?? '';
      expect(usage).toContain(`abs-bridge ${words.join(' ')}`);
      // a description line between usage and options
      expect(help.split('\n\n')[1]?.trim().length).toBeGreaterThan(10);
      expect(help).toContain('Environment');
      expect(help).toContain('ABS_URL');
    },
  );

  it('every command lists the environment variables it reads', async () => {
    for (const command of buildProgram().commands) {
      out.length = 0;
      expect(await run(command.name(), '--help'), command.name()).toBe(0);
      expect(stdout(), command.name()).toContain('Environment (overrides config.json)');
    }
  });

  it('an unknown command exits non-zero', async () => {
    expect(await run('frobnicate')).not.toBe(0);
  });
});

describe('abs-bridge libraries / items', () => {
  it('lists libraries with id, name and item count', async () => {
    expect(await run('--config', configFile(), 'libraries')).toBe(0);
    expect(stdout()).toMatch(/^\S+ {2}.+ {2}\(3 items\)$/m);
    out.length = 0;
    expect(await run('--config', configFile(), 'libraries', '--json')).toBe(0);
    expect(JSON.parse(stdout().trim().split('\n')[0] ?? '{}')).toMatchObject({ items: 3 });
  });

  it('lists items of a library and finds one by title or author', async () => {
    expect(await run('--config', configFile(), 'libraries', '--json')).toBe(0);
    const libraryId = JSON.parse(stdout().trim().split('\n')[0] ?? '{}').id as string;
    out.length = 0;
    expect(await run('--config', configFile(), 'items', '--library', libraryId)).toBe(0);
    expect(stdout().trim().split('\n')).toHaveLength(3);
    out.length = 0;
    expect(await run('--config', configFile(), 'items', '--library', libraryId, '--search', 'WEIR')).toBe(0);
    const found = stdout().trim().split('\n');
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toContain('Project Hail Mary — Andy Weir');
    out.length = 0;
    expect(await run('--config', configFile(), 'items', '--library', libraryId, '--search', 'nothing')).toBe(
      0,
    );
    expect(stdout()).toContain('no item matches');
  });

  it('an unknown library names the command that lists them', async () => {
    expect(await run('--config', configFile(), 'items', '--library', 'lib_nope')).toBe(1);
    expectOneLineError(/library lib_nope not found — list library ids with `abs-bridge libraries`/);
  });
});

describe('CLI errors: one line, what is wrong and how to fix it, no stack', () => {
  it('identify on a folder that does not exist', async () => {
    expect(await run('--config', configFile(), 'identify', '/no/such/book-folder', '--offline')).toBe(1);
    expectOneLineError(/\/no\/such\/book-folder: no such file or folder — check the path/);
    expect(stderr()).not.toContain('VALIDATION_FAILED');
  });

  it('ABS refuses the API key', async () => {
    expect(await run('--config', configFile({}, { apiKey: 'not-a-key' }), 'libraries')).toBe(1);
    expectOneLineError(/ABS refused the API key \(HTTP 401\) — .*Settings → API Keys.*ABS_API_KEY/);
  });

  it('ABS cannot be reached', async () => {
    const cfg = configFile({ abs: { url: 'http://127.0.0.1:9', apiKey: 'x', timeoutMs: 500 } });
    expect(await run('--config', cfg, 'libraries')).toBe(1);
    expectOneLineError(/cannot reach ABS \(connection refused\) — check ABS_URL/);
  });

  it('match on an item ABS does not have names the command that finds ids', async () => {
    expect(await run('--config', configFile(), 'match', 'li_does_not_exist')).toBe(1);
    expectOneLineError(/li_does_not_exist does not exist in ABS — find item ids with `abs-bridge items/);
  });

  it('review approve on an item the bridge has never matched', async () => {
    const item = fake.addItem({ title: 'Not Reviewed', author: 'Nobody' });
    expect(await run('--config', configFile(), 'review', 'approve', item.id)).toBe(1);
    expectOneLineError(/is not known to the bridge — the bridge has no record of it yet; match it first/);
  });

  it('run on a port already in use names http.port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cfg = configFile({ http: { port, token: 'x'.repeat(24) } });
      expect(await run('--config', cfg, 'run')).toBe(1);
      expectOneLineError(new RegExp(`port ${port} is already in use .*http\\.port`));
    } finally {
      blocker.close();
    }
  });
});

describe('abs-bridge match with a person’s title, author or ASIN (the real bridge)', () => {
  const withMock = () =>
    configFile({
      providers: {
        ...quietProviders,
        mock: [
          {
            id: 'mockA',
            responses: {
              B08G9PRS1K: {
                matchConfidence: 0.99,
                fields: { title: 'Project Hail Mary', authors: [{ name: 'Andy Weir' }], asin: 'B08G9PRS1K' },
              },
              'project hail mary': {
                matchConfidence: 0.97,
                fields: {
                  title: 'Project Hail Mary',
                  authors: [{ name: 'Andy Weir' }],
                  narrators: ['Ray Porter'],
                },
              },
            },
          },
        ],
      },
    });

  it('an unmatched book is matched by the ASIN a person gives', async () => {
    const item = fake.addItem({ title: 'phm_final_v2', author: 'unknown' });
    expect(await run('--config', withMock(), 'match', item.id, '--json')).toBe(0);
    expect(JSON.parse(stdout()).decision).toBe('reject');
    out.length = 0;
    expect(await run('--config', withMock(), 'match', item.id, '--asin', 'b08g9prs1k', '--json')).toBe(0);
    const outcome = JSON.parse(stdout());
    expect(outcome).toMatchObject({ decision: 'apply', applied: true });
    // title and authors are fill-empty by default (bridge.fieldPolicy): the ASIN is what changes.
    expect(outcome.changes).toContainEqual(expect.objectContaining({ field: 'asin', new: 'B08G9PRS1K' }));
    expect(fake.getItem(item.id)?.media.metadata.asin).toBe('B08G9PRS1K');
  });

  it('or by the title and author a person gives', async () => {
    const item = fake.addItem({ title: 'Track 01', author: 'Various' });
    expect(
      await run(
        '--config',
        withMock(),
        'match',
        item.id,
        '--title',
        'Project Hail Mary',
        '--author',
        'Andy Weir',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({ decision: 'apply' });
  });

  it('a malformed ASIN is refused in one line', async () => {
    expect(await run('--config', withMock(), 'match', 'li_x', '--asin', 'nope')).toBe(1);
    expectOneLineError(/--asin must be 10 letters or digits/);
  });
});
