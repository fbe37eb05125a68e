import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { main } from '../../src/cli/main.js';
import { cannedBook } from './harness.js';

let fake: FakeAbs;
let dir: string;
let configPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bridge-cli-'));
  fake = await startFakeAbs({ items: [] });
  configPath = path.join(dir, 'config.json');
  const off = { enabled: false };
  await writeFile(
    configPath,
    JSON.stringify({
      dataDir: dir,
      logging: { level: 'silent' },
      abs: { url: fake.url, apiKey: fake.apiKey },
      bridge: { defaultPolicy: 'overwrite' },
      providers: {
        audible: off,
        audnexus: off,
        openlibrary: off,
        googlebooks: off,
        itunes: off,
        mock: [
          {
            id: 'canned',
            responses: { 'cli book': cannedBook('CLI Book'), 'cli two': cannedBook('CLI Two') },
          },
        ],
      },
    }),
  );
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'abs-bridge', '-c', configPath, ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const meta = (id: string) =>
  (fake.expandedItem(id) as { media: { metadata: Record<string, unknown> } }).media.metadata;

describe('abs-bridge match / undo / review', () => {
  it('match --dry-run prints old → new with provider and confidence, and writes nothing', async () => {
    const id = fake.addItem({ title: 'CLI Book', author: 'Someone' }).id;
    const text = await cli('match', id, '--dry-run');
    expect(text.code).toBe(0);
    expect(text.out).toContain('[dry run: nothing written]');
    expect(text.out).toMatch(/publisher: ∅ → Canned House {2}\[canned 0\.\d\d\]/);
    expect(text.out).toMatch(/authors: Someone → Canned Author/);
    const json = await cli('match', id, '--dry-run', '--json');
    expect(JSON.parse(json.out).changes.length).toBeGreaterThan(3);
    expect(fake.patchCount).toBe(0);
  });

  it('match applies, undo restores, and both persist across CLI runs', async () => {
    const id = fake.addItem({ title: 'CLI Two', author: 'Writer' }).id;
    const applied = await cli('match', id, '--json');
    expect(JSON.parse(applied.out)).toMatchObject({ itemId: id, decision: 'apply', applied: true });
    expect(meta(id).publisher).toBe('Canned House');
    const undone = await cli('undo', id);
    expect(undone.out).toMatch(/restored .*publisher/);
    expect(meta(id).publisher).toBeNull();
    expect(meta(id).authors).toMatchObject([{ name: 'Writer' }]);
  });

  it('backfill prints JSON lines when not on a terminal', async () => {
    const res = await cli('match', '--library', fake.libraryId, '--unmatched');
    const lines = res.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const summary = lines.at(-1).summary;
    expect(summary).toMatchObject({ libraryId: fake.libraryId, mode: 'unmatched', failed: 0 });
    expect(lines.slice(0, -1).every((l) => typeof l.itemId === 'string' && l.total === summary.total)).toBe(
      true,
    );
  });

  it('review list says when the queue is empty', async () => {
    expect((await cli('review', 'list')).out).toBe('review queue is empty\n');
  });

  it.each([
    [['match'], /give item ids/],
    [
      ['match', '--library', 'x', '--all', '--unmatched'],
      /exactly one of --all, --unmatched or --incomplete/,
    ],
    [['review', 'approve', 'x', '--candidate', 'two'], /--candidate must be a whole number/],
    [['match', 'no-such-item'], /does not exist in ABS|not found/i],
  ])('fails clearly on %j', async (args, message) => {
    const res = await cli(...args);
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(message);
  });
});
