import { distance } from 'fastest-levenshtein';
import { splitAuthors } from './normalize.js';

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment, "Damerau–Levenshtein"): "Stlain" is one typo from "Stalin", not two.
 */
export function typoDistance(a: string, b: string): number {
  const lev = distance(a, b);
  if (lev <= 1 || a.length < 2 || b.length < 2) return lev;
  const n = b.length;
  let [r2, r1, r0] = scratchRows(n + 1);
  r2.fill(0, 0, n + 1);
  for (let j = 0; j <= n; j++) r1[j] = j;
  for (let i = 1; i <= a.length; i++) {
    r0[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((r1[j] as number) + 1, (r0[j - 1] as number) + 1, (r1[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (r2[j - 2] as number) + 1);
      r0[j] = d;
    }
    const spare = r2;
    r2 = r1;
    r1 = r0;
    r0 = spare;
  }
  return r1[n] as number;
}

/** Three rows reused by every `typoDistance` call (it runs for every candidate of every search). */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

function scratchRows(length: number): [Int32Array, Int32Array, Int32Array] {
  if (rows[0].length < length)
    rows = [new Int32Array(length), new Int32Array(length), new Int32Array(length)];
  return rows;
}

/** 1 − edit distance (swaps count once) / longer length, on already normalised strings. */
export function levenshteinRatio(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - typoDistance(a, b) / max;
}

/** Similarity of two titles one typo apart (see `singleTypo`): near-equal, whatever their length. */
export const SINGLE_TYPO_SIMILARITY = 0.95;
/** A word must be at least this long for one edit in it to read as a typo rather than another word. */
const TYPO_MIN_WORD = 5;

/**
 * Whether two normalised titles differ only by one typo: the same words except one, which is
 * one letter dropped, doubled, swapped with its neighbour or replaced, in a word of at least
 * five letters without digits ("Eatrhed" / "Earthed"). Short words and numbers are not forgiven:
 * "Part I" / "Part II" and "Episode 749" / "748" are different books.
 */
export function singleTypo(a: string, b: string): boolean {
  if (a === b) return false;
  const wa = a.split(' ');
  const wb = b.split(' ');
  if (wa.length !== wb.length) return false;
  let differing = -1;
  for (let i = 0; i < wa.length; i++) {
    if (wa[i] === wb[i]) continue;
    if (differing >= 0) return false;
    differing = i;
  }
  const x = wa[differing] ?? '';
  const y = wb[differing] ?? '';
  if (Math.max(x.length, y.length) < TYPO_MIN_WORD || /\d/.test(x + y)) return false;
  return typoDistance(x, y) === 1;
}

/** Best of plain and word-order-insensitive ratio ("hobbit the" vs "the hobbit"). */
export function stringSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const sorted = (s: string) => s.split(' ').sort().join(' ');
  return Math.max(levenshteinRatio(a, b), levenshteinRatio(sorted(a), sorted(b)));
}

/**
 * How alike two normalised person names are: the same letters ignoring spaces ("rickriordan")
 * count as equal; the same surname with compatible given names or initials ("j r r tolkien" vs
 * "john ronald reuel tolkien") nearly equal; otherwise the edit ratio.
 */
export function personSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const compactA = a.replace(/ /g, '');
  const compactB = b.replace(/ /g, '');
  if (compactA === compactB) return 1;
  const ta = a.split(' ');
  const tb = b.split(' ');
  if (ta.at(-1) === tb.at(-1) && givenNamesCompatible(ta.slice(0, -1), tb.slice(0, -1))) return 0.95;
  return levenshteinRatio(compactA, compactB);
}

/** Given names agree when each of the shorter list matches in order by initial or whole word. */
function givenNamesCompatible(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let j = 0;
  for (const s of short) {
    while (j < long.length && !namePartAgrees(s, long[j] as string)) j++;
    if (j === long.length) return false;
    j++;
  }
  return true;
}

function namePartAgrees(x: string, y: string): boolean {
  if (x === y) return true;
  if (x.length === 1 || y.length === 1) return x[0] === y[0];
  return false;
}

/**
 * Agreement of two contributor lists, as sets: the best pair decides, slightly lowered when
 * most of the context's names find no partner. Undefined when either side has no names.
 */
export function peopleAgreement(
  ctx: readonly string[],
  cand: readonly string[],
): { score: number; matched: number } | undefined {
  const a = splitAuthors(ctx);
  const b = splitAuthors(cand);
  if (!a.length || !b.length) return undefined;
  let best = 0;
  let matched = 0;
  for (const x of a) {
    const s = Math.max(...b.map((y) => personSimilarity(x, y)));
    best = Math.max(best, s);
    if (s >= 0.85) matched++;
  }
  const share = matched / a.length;
  return { score: best * (share >= 0.5 ? 1 : 0.95), matched };
}
