import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's copies of the recorded provider bodies (test/fixtures/providers). */
export const FIXTURE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test/fixtures/providers',
);

const cache = new Map<string, unknown>();

/** A fixture body, parsed; a fresh copy each call so handlers can never corrupt it. */
export function fixture<T = unknown>(relative: string): T {
  if (!cache.has(relative))
    cache.set(relative, JSON.parse(readFileSync(path.join(FIXTURE_DIR, relative), 'utf8')));
  return structuredClone(cache.get(relative)) as T;
}

/** Fixture files of one provider folder whose names match. */
export function fixtureNames(folder: string, pattern: RegExp): string[] {
  return readdirSync(path.join(FIXTURE_DIR, folder)).filter((f) => pattern.test(f));
}

/** "Harry Potter, Book 1" → {"harry","potter","book","1"}: the words a naive search engine indexes. */
export function words(text: string): Set<string> {
  return new Set(
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

/** How many query words a document has (the mocks' deliberately imperfect relevance). */
export function overlap(query: string, doc: string): number {
  const d = words(doc);
  return [...words(query)].filter((w) => d.has(w)).length;
}
