import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';
import type * as Registry from '../../src/exporters/index.js';
import type * as Sidecars from '../../src/exporters/sidecars.js';

/** The callback fs calls sidecars.ts and atomic-write.ts make, in order. */
const { calls, COUNTED } = vi.hoisted(() => ({
  calls: [] as string[],
  COUNTED: ['stat', 'fstat', 'open', 'writeFile', 'fsync', 'fchmod', 'close', 'rename', 'readFile'],
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<Record<string, unknown>>();
  const counted = Object.fromEntries(
    COUNTED.map((name) => {
      const original = fs[name] as (...args: unknown[]) => unknown;
      return [
        name,
        (...args: unknown[]) => {
          calls.push(name);
          return original(...args);
        },
      ];
    }),
  );
  return { ...fs, ...counted, default: { ...(fs.default as object), ...counted } };
});

const metadata = { title: 'Ancillary Mercy', authors: [{ name: 'Ann Leckie' }], customFields: {} } as never;

describe('sidecar file-system calls', () => {
  const dirs: string[] = [];
  let writeSidecars: typeof Sidecars.writeSidecars;
  let createDefaultExporters: typeof Registry.createDefaultExporters;
  beforeAll(async () => {
    // The setup file already loaded atomic-write.ts with the real fs: load it again, mocked.
    vi.resetModules();
    ({ writeSidecars } = await import('../../src/exporters/sidecars.js'));
    ({ createDefaultExporters } = await import('../../src/exporters/index.js'));
  });
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function write(folder: string, meta: CanonicalMetadata) {
    calls.length = 0;
    const out = await writeSidecars({
      registry: createDefaultExporters(),
      names: ['metadata.json'],
      metadata: meta,
      folder,
      ctx: { itemId: 'li_1' },
    });
    return { out, calls: [...calls] };
  }

  it('a new sidecar: one stat, then open, write, fsync, fstat (the fingerprint), close, rename', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'sidecar-calls-'));
    dirs.push(folder);
    const { out, calls: made } = await write(folder, metadata);
    expect(out.written).toEqual([path.join(folder, 'metadata.json')]);
    expect(made).toEqual(['stat', 'open', 'writeFile', 'fsync', 'fstat', 'close', 'rename']);
  });

  it('a changed sidecar: its stat gives the mode kept (fchmod), no second stat before or after', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'sidecar-calls-'));
    dirs.push(folder);
    await write(folder, metadata);
    const { out, calls: made } = await write(folder, { ...(metadata as object), title: 'Other' } as never);
    expect(out.written).toHaveLength(1);
    expect(made).toEqual([
      'stat',
      'readFile',
      'open',
      'fchmod',
      'writeFile',
      'fsync',
      'fstat',
      'close',
      'rename',
    ]);
  });
});
