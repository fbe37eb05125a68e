/**
 * A generated audiobook library on disk: one folder per book (`Author/Title/Title.mp3`), real mp3
 * files made by ffmpeg with ID3 tags and the catalogue's length, and the catalogue the provider
 * mock serves for them. Seeded: the same seed always gives the same books.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mulberry32 } from '../../../bench/matching/rng.js';
import type { CatalogueBook } from '../../../mocks/providers/catalogue-server.js';

const run = promisify(execFile);

const FIRST = ['Ada', 'Bram', 'Cora', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas'];
const LAST = ['Marlowe', 'Quist', 'Okafor', 'Lindqvist', 'Haddad', 'Varga', 'Tanaka', 'Oyelaran', 'Brandt'];
const ADJ = [
  'Silent',
  'Crimson',
  'Hollow',
  'Northern',
  'Broken',
  'Gilded',
  'Drowned',
  'Last',
  'Iron',
  'Pale',
];
const NOUN = ['Harbor', 'Orchard', 'Lantern', 'Meridian', 'Citadel', 'Tide', 'Archive', 'Ember', 'Garden'];
const PLACE = ['Veyra', 'Ostmark', 'Calder', 'Thessaly', 'Brightwater', 'Kessel', 'Morrow', 'Sable'];

/** `count` distinct books; the offset lets two calls make disjoint sets. */
export function generateBooks(count: number, seed = 1, offset = 0): CatalogueBook[] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  const books: CatalogueBook[] = [];
  const titles = new Set<string>();
  while (books.length < count + offset) {
    const title = `The ${pick(ADJ)} ${pick(NOUN)} of ${pick(PLACE)}`;
    if (titles.has(title)) continue;
    titles.add(title);
    const n = books.length;
    books.push({
      asin: `B0T${String(seed).padStart(2, '0')}${String(n).padStart(5, '0')}`,
      title,
      authors: [`${pick(FIRST)} ${pick(LAST)}`],
      narrators: [`${pick(FIRST)} ${pick(LAST)}`],
      minutes: 1 + (n % 3),
      released: `${2000 + (n % 24)}-0${1 + (n % 9)}-15`,
      publisher: `${pick(LAST)} House`,
      description: `<p>${title}: a story told in ${pick(PLACE)}.</p>`,
      genres: [pick(['Fantasy', 'Mystery', 'History', 'Science Fiction'])],
      ...(n % 4 === 0
        ? { series: { title: `${pick(PLACE)} Chronicles`, sequence: String(1 + (n % 5)) } }
        : {}),
    });
  }
  return books.slice(offset);
}

/** One silent mp3 per length, made once per process and copied per book. */
const templates = new Map<string, Promise<string>>();
async function template(dir: string, seconds: number): Promise<string> {
  const file = path.join(dir, `.template-${seconds}s.mp3`);
  if (!templates.has(file))
    templates.set(
      file,
      (async () => {
        await mkdir(dir, { recursive: true });
        await run('ffmpeg', [
          ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono'],
          ...['-t', String(seconds), '-c:a', 'libmp3lame', '-b:a', '8k', file],
        ]);
        return file;
      })(),
    );
  return templates.get(file) as Promise<string>;
}

/** The book's folder under `root`. */
export function bookFolder(root: string, book: CatalogueBook): string {
  return path.join(root, book.authors[0] as string, book.title);
}

/**
 * Writes the books' audio under `root` with tags ABS reads (title, artist, album, date). What a
 * person's library looks like before any matcher: no ASIN, no description, no publisher.
 */
export async function writeLibrary(
  root: string,
  books: readonly CatalogueBook[],
  /** A genre tag per book (none by default). */
  genreTag?: (book: CatalogueBook) => string | undefined,
): Promise<void> {
  const tmp = path.join(root, '..', '.templates');
  let next = 0;
  const worker = async () => {
    while (next < books.length) {
      const book = books[next++] as CatalogueBook;
      const folder = bookFolder(root, book);
      await mkdir(folder, { recursive: true });
      const source = await template(tmp, book.minutes * 60);
      const tagged = path.join(folder, `${book.title}.mp3`);
      const genre = genreTag?.(book);
      await run('ffmpeg', [
        ...['-v', 'error', '-y', '-i', source, '-c', 'copy'],
        ...['-metadata', `title=${book.title}`, '-metadata', `album=${book.title}`],
        ...['-metadata', `artist=${book.authors.join(', ')}`, '-metadata', `album_artist=${book.authors[0]}`],
        ...(genre ? ['-metadata', `genre=${genre}`] : []),
        tagged,
      ]);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}
