/**
 * `npm run bench [name…]`: runs every `bench/*.bench.ts` (or the named ones) in turn. Each module
 * exports `default async () => Record<string, unknown>` and prints its own report; the summary
 * is printed as JSON at the end and written to bench/results/latest.json.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const all = (await readdir(here)).filter((f) => f.endsWith('.bench.ts'));
// A name that is a bench's whole name picks that bench alone (`bridge` is not also `bridge-real`).
const files = all
  .filter(
    (f) =>
      wanted.length === 0 ||
      wanted.some((w) => (all.includes(`${w}.bench.ts`) ? f === `${w}.bench.ts` : f.startsWith(w))),
  )
  .sort();

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const results: Record<string, unknown> = { machine, at: new Date().toISOString() };
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n=== bench: ${name} ===`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {
    default: () => Promise<Record<string, unknown>>;
  };
  results[name] = await mod.default();
}
await mkdir(path.join(here, 'results'), { recursive: true });
await writeFile(path.join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results, null, 2)}`);
process.exit(0);
