import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/providers');

/** A recorded provider body from test/fixtures/providers. */
export function load<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(DIR, relative), 'utf8')) as T;
}
