import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { FileError } from '../errors.js';

/**
 * Writes a file so that readers see the old content or the new, never a partial one:
 * temp file in the same folder, fsync, rename over (write-file-atomic). Text is UTF-8.
 */
export async function atomicWrite(filePath: string, content: string | Uint8Array): Promise<void> {
  try {
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFileAtomic(filePath, typeof content === 'string' ? content : Buffer.from(content), {
      fsync: true,
      ...(typeof content === 'string' ? { encoding: 'utf8' as const } : {}),
    });
  } catch (cause) {
    throw new FileError('WRITE_FAILED', filePath, `could not write atomically: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Throws unless `target` resolves to a path inside `baseDir` (guards every export path). */
export function assertInside(baseDir: string, target: string): string {
  const base = path.resolve(baseDir);
  const resolved = path.resolve(base, target);
  const rel = path.relative(base, resolved);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new FileError('PATH_OUTSIDE_TARGET', resolved, `refusing to write outside ${base}`);
  }
  return resolved;
}
