import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const allNetworkOff = Object.fromEntries(
  ['audible', 'audnexus', 'openlibrary', 'googlebooks', 'itunes', 'hardcover'].map((id) => [
    id,
    { enabled: false },
  ]),
);

function tempFile(name: string, content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'identify-'));
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const config = (mock: unknown[]) =>
  tempFile('config.json', {
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'data-')),
    cache: { url: 'memory://' },
    providers: {
      ...allNetworkOff,
      local: {
        tags: { enabled: false },
        sidecars: { enabled: false },
        libation: { enabled: false },
        folder: { enabled: false },
      },
      mock,
    },
  });

describe('abs-bridge identify --context', () => {
  let out: string[];
  let err: string[];
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

  const run = (...args: string[]) => main(['node', 'abs-bridge', ...args]);

  it('prints one JSON object per context line, in order, with a decision and provenance', async () => {
    const cfg = config([
      {
        id: 'mockA',
        responses: {
          dune: { fields: { title: 'Dune', authors: [{ name: 'Frank Herbert' }] }, matchConfidence: 0.97 },
          emma: { fields: { title: 'Emma' }, matchConfidence: 0.7 },
        },
      },
      {
        id: 'mockB',
        weight: 0.8,
        responses: { dune: { fields: { narrators: ['Scott Brick'] }, matchConfidence: 0.9 } },
      },
    ]);
    const ctx = tempFile(
      'ctx.jsonl',
      '{"title":"Dune","authors":["Frank Herbert"],"unknown":1}\n\n{"title":"Emma"}\n{"title":"Nothing here"}\n',
    );
    expect(await run('--config', cfg, 'identify', '--context', ctx, '--json')).toBe(0);
    const lines = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.decision)).toEqual(['apply', 'review', 'reject']);
    expect(lines[0].metadata).toMatchObject({ title: 'Dune', narrators: ['Scott Brick'] });
    expect(lines[0].sources).toMatchObject({ title: 'mockA', narrators: 'mockB' });
    expect(lines[0].provenance.narrators[0]).toMatchObject({ provider: 'mockB', confidence: 0.72 });
    expect(lines[0]).toHaveProperty('providerTimings.mockA');
    expect(lines[2].metadata).toEqual({ customFields: {} });
    for (const line of lines)
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['confidence', 'conflicts', 'missing']));
  });

  it('answers a reject with empty metadata when no provider is enabled', async () => {
    const ctx = tempFile('ctx.json', { title: 'Dune' });
    expect(await run('--config', config([]), 'identify', '--context', ctx, '--json')).toBe(0);
    const result = JSON.parse(out.join(''));
    expect(result).toMatchObject({ decision: 'reject', confidence: 0, metadata: { customFields: {} } });
  });

  it('names every bad line of a context file and exits non-zero', async () => {
    const ctx = tempFile('bad.jsonl', '{"title":"ok"}\n{"title": 5}\nnot json\n');
    expect(await run('--config', config([]), 'identify', '--context', ctx, '--json')).toBe(1);
    const message = err.join('');
    expect(message).toMatch(/line 3: invalid JSON/);
    const ctx2 = tempFile('bad2.jsonl', '{"title":"ok"}\n{"title": 5, "authors": "x"}\n');
    expect(await run('--config', config([]), 'identify', '--context', ctx2, '--json')).toBe(1);
    expect(err.join('')).toMatch(/line 2: title/);
    expect(err.join('')).toMatch(/line 2: authors/);
  });

  it('exits 2 with every problem listed on a bad config', async () => {
    const cfg = tempFile('config.json', { http: { port: -1 }, matching: { apply: 7 } });
    const ctx = tempFile('ctx.json', { title: 'Dune' });
    expect(await run('--config', cfg, 'identify', '--context', ctx)).toBe(2);
    expect(err.join('')).toMatch(/http\.port/);
    expect(err.join('')).toMatch(/matching\.apply/);
  });
});
