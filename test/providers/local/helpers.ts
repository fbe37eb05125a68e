import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LookupContext } from '../../../src/domain/lookup.js';
import { makeLookupContext } from '../../../src/domain/lookup.js';
import type { ProviderResult } from '../../../src/domain/provider-result.js';
import type { MetadataProvider } from '../../../src/providers/types.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/local/', import.meta.url));
export const LIBRARY = path.join(FIXTURES, 'library');

/** True when the ffmpeg/ffprobe binaries are on PATH (they are in CI and on this machine). */
export function hasBinary(name: string): boolean {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function tempDir(prefix = 'abs-local-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs any provider (sync or async) on a context built from a folder. */
export async function lookupFolder(
  provider: MetadataProvider,
  folder: string,
  extra: Partial<LookupContext> = {},
): Promise<ProviderResult> {
  const ctx = makeLookupContext({ path: folder, folderName: path.basename(folder), ...extra });
  if (provider.mode === 'sync') return provider.lookupSync(ctx);
  return provider.lookup(ctx, { signal: new AbortController().signal });
}

/** Makes 3 s of tagged silence with ffmpeg; `args` are extra output options. */
export function makeAudio(file: string, seconds: number, args: string[]): void {
  execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-t',
      String(seconds),
      '-i',
      'anullsrc=r=8000:cl=mono',
      ...args,
      file,
    ],
    { stdio: 'pipe' },
  );
}
