/**
 * Derives the matching benchmark's catalogue from the public Kaggle "Audible Dataset" (uncleaned
 * CSV, see ../shared/datasets/audible-catalog/README.md). Run once; the output is committed so the
 * benchmark never needs ../shared:
 *
 *   npx tsx bench/matching/build-catalogue.ts [path/to/audible_uncleaned.csv]
 *
 * Writes bench/matching/catalogue/catalogue.json (the books the mock Audible serves) and
 * bench/matching/catalogue/absent.json (real books deliberately left out, to measure false
 * positives). Deterministic: the same CSV always gives the same files. (Not under `data/`: the
 * repository ignores every `data/` folder, and the benchmark must run from a clean checkout.)
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { normalizeAuthor, normalizeTitle } from '../../src/matching/normalize.js';
import { personSimilarity } from '../../src/matching/similarity.js';
import { mulberry32, shuffle } from './rng.js';
import type { CatalogueRecord } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const csvPath =
  process.argv[2] ?? path.join(here, '../../../shared/datasets/audible-catalog/audible_uncleaned.csv');
/** Sizes chosen to keep the committed data under ~3 MB while keeping hundreds of duplicate titles. */
const CATALOGUE_SIZE = 10_000;
const ABSENT_SIZE = 2000;
/** Very short (≤ this many minutes) and very long (≥ LONG) books kept on purpose, each. */
const SHORT_MINUTES = 12;
const LONG_MINUTES = 20 * 60;
const EXTREMES = 400;

/** "RickRiordan" → "Rick Riordan", "J.R.R.Tolkien" → "J.R.R. Tolkien", "Name-editor" → "Name". */
export function unsquashName(raw: string): string {
  return raw
    .replace(
      /-(illustrator|editor|translator|traductor|foreword|introduction|adaptation|contributor)\b.*$/i,
      '',
    )
    .replace(/([\p{Ll}'’])(\p{Lu})/gu, '$1 $2')
    .replace(/\.(?=\p{Lu}\p{Ll})/gu, '. ')
    .trim();
}

function people(cell: string, prefix: string): string[] {
  return cell
    .replace(prefix, '')
    .split(',')
    .map((n) => unsquashName(n.trim()))
    .filter((n) => n.length > 1 && !/^(uncredited|anonymous|fullcast|various)$/i.test(n));
}

function minutesOf(time: string): number {
  if (/less than 1 minute/i.test(time)) return 1;
  const h = /(\d+)\s*hr/.exec(time);
  const m = /(\d+)\s*min/.exec(time);
  return Number(h?.[1] ?? 0) * 60 + Number(m?.[1] ?? 0);
}

function dateOf(ddmmyy: string): string {
  const [dd, mm, yy] = ddmmyy.split('-');
  const year = Number(yy) >= 90 ? `19${yy}` : `20${yy}`;
  return `${year}-${mm}-${dd}`;
}

function ratingsOf(stars: string): number {
  const m = /stars([\d,]+) rating/.exec(stars);
  return m?.[1] ? Number(m[1].replace(/,/g, '')) : 0;
}

/** Series from "Title: Series, Book 3" / "Series #3" / "(Series, Book 3)". */
function seriesOf(name: string): { title: string; sequence: string } | undefined {
  const m =
    /[:(]\s*([^:()]+?),\s*(?:Book|Volume|Vol\.|Tome|Band)\s*(\d+(?:\.\d+)?)\)?\s*$/i.exec(name) ??
    /^(.+?)\s*#(\d+(?:\.\d+)?)\b/.exec(name);
  return m?.[1] && m[2] ? { title: m[1].trim(), sequence: m[2] } : undefined;
}

function fakeAsin(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex');
  return `B0${BigInt(`0x${hex.slice(0, 14)}`)
    .toString(36)
    .toUpperCase()
    .padStart(8, '0')
    .slice(0, 8)}`;
}

function toRecord(row: string[], index: number): CatalogueRecord | undefined {
  const [name, author, narrator, time, released, language, stars] = row;
  if (!name || !author || !time || !released || !language || !stars) return undefined;
  const colon = name.indexOf(': ');
  const series = seriesOf(name);
  return {
    asin: fakeAsin(`${index}|${name}`),
    title: colon > 0 ? name.slice(0, colon) : name,
    ...(colon > 0 ? { subtitle: name.slice(colon + 2) } : {}),
    authors: people(author, 'Writtenby:'),
    narrators: people(narrator ?? '', 'Narratedby:'),
    minutes: minutesOf(time),
    released: dateOf(released),
    language: language.toLowerCase(),
    ratings: ratingsOf(stars),
    ...(series ? { series } : {}),
  };
}

function main(): void {
  const rows = parse(readFileSync(csvPath), { from_line: 2, relax_column_count: true }) as string[][];
  const all = rows.map(toRecord).filter((r): r is CatalogueRecord => Boolean(r?.authors.length));
  const byTitle = new Map<string, CatalogueRecord[]>();
  for (const r of all) {
    const key = r.title.toLowerCase();
    byTitle.set(key, [...(byTitle.get(key) ?? []), r]);
  }
  const rng = mulberry32(20240501);
  // Every edition of a sample of duplicated titles: the hard cases (other narrator, length, author),
  // and first every work published under one title in several languages (translated editions).
  const groups = [...byTitle.values()].filter((g) => g.length > 1);
  const multilingual = groups.filter((g) => new Set(g.map((r) => r.language)).size > 1);
  const dupGroups = [...multilingual, ...shuffle(groups, rng).filter((g) => !multilingual.includes(g))].slice(
    0,
    1100,
  );
  const chosen = new Set<CatalogueRecord>(dupGroups.flat().slice(0, CATALOGUE_SIZE / 3));
  const extremes = (keep: (r: CatalogueRecord) => boolean) =>
    shuffle(all.filter(keep), rng).slice(0, EXTREMES);
  for (const r of extremes((r) => r.minutes > 0 && r.minutes <= SHORT_MINUTES)) chosen.add(r);
  for (const r of extremes((r) => r.minutes >= LONG_MINUTES)) chosen.add(r);
  for (const r of shuffle(all, rng)) {
    if (chosen.size >= CATALOGUE_SIZE) break;
    chosen.add(r);
  }
  // Absent books: real records that are not another edition of a catalogue book (same title and
  // a similar author or length); about half share a title with one, by someone else.
  const byNorm = new Map<string, CatalogueRecord[]>();
  for (const r of chosen)
    byNorm.set(normalizeTitle(r.title), [...(byNorm.get(normalizeTitle(r.title)) ?? []), r]);
  const sameBook = (r: CatalogueRecord) =>
    (byNorm.get(normalizeTitle(r.title)) ?? []).some(
      (c) =>
        Math.abs(c.minutes - r.minutes) <= 15 ||
        c.authors.some((a) =>
          r.authors.some((b) => personSimilarity(normalizeAuthor(a), normalizeAuthor(b)) >= 0.8),
        ),
    );
  const unseen = shuffle(
    all.filter((r) => !chosen.has(r) && !sameBook(r)),
    rng,
  );
  const sameTitle = unseen.filter((r) => byNorm.has(normalizeTitle(r.title))).slice(0, ABSENT_SIZE / 2);
  const other = unseen.filter((r) => !byNorm.has(normalizeTitle(r.title)));
  const absent = [...sameTitle, ...other.slice(0, ABSENT_SIZE - sameTitle.length)];
  const source =
    'Derived from the Kaggle "Audible Dataset" (snehangsude, audible.in scrape, audible_uncleaned.csv, sha256 ac7e04ab…af6) by bench/matching/build-catalogue.ts. Names un-squashed, durations in minutes, ASINs are FAKE (hash of row). Benchmark data only; listing metadata belongs to Audible and the publishers.';
  const write = (file: string, records: CatalogueRecord[]) =>
    writeFileSync(path.join(here, 'catalogue', file), `${JSON.stringify({ source, records })}\n`);
  write('catalogue.json', [...chosen]);
  write('absent.json', absent);
  console.log(`catalogue ${chosen.size}, absent ${absent.length} (${sameTitle.length} sharing a title)`);
}

main();
