/** The "files written" measure of the real-ABS suite and bench: every file's size and mtime. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `root` with its size and mtime. */
export async function snapshotFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(p);
      else {
        const s = await stat(p);
        out.set(p, `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  await walk(root);
  return out;
}

/** Files added, removed or rewritten between two snapshots. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}
