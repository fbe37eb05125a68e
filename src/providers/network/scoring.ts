import { distance } from 'fastest-levenshtein';
import type { PartialMetadata } from '../../domain/metadata.js';
import type { LookupContext } from '../types.js';

/**
 * Seam to the matching engine (src/matching/score.ts, queries.ts). Until those land this holds a
 * deliberately small fallback — title/author similarity only — so providers can be built and tested.
 */
export interface CandidateScore {
  score: number;
  explanation: Record<string, number | string>;
}

function norm(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function similarity(a: string, b: string): number {
  const x = norm(a);
  const y = norm(b);
  if (!x || !y) return 0;
  if (x === y || x.startsWith(`${y} `) || y.startsWith(`${x} `)) return x === y ? 1 : 0.9;
  return 1 - distance(x, y) / Math.max(x.length, y.length);
}

/** Score 0..1 for one candidate against the lookup context, with a per-signal explanation. */
export function scoreCandidate(ctx: LookupContext, candidate: PartialMetadata): CandidateScore {
  const explanation: Record<string, number | string> = {};
  const title = ctx.title && candidate.title ? similarity(ctx.title, candidate.title) : undefined;
  if (title !== undefined) explanation.title = round(title);
  const names = candidate.authors?.map((a) => a.name) ?? [];
  const author =
    ctx.authors.length && names.length
      ? Math.max(...ctx.authors.flatMap((a) => names.map((n) => similarity(a, n))))
      : undefined;
  if (author !== undefined) explanation.author = round(author);
  if (title === undefined) return { score: 0, explanation: { ...explanation, title: 'missing' } };
  const score = author === undefined ? title * 0.8 : title * 0.65 + author * 0.35;
  return { score: round(score), explanation };
}

/** Search queries to try in order: title + author, then title alone. */
export function searchQueries(ctx: LookupContext): { title: string; author?: string; keywords: string }[] {
  const title = ctx.title?.trim();
  if (!title) return [];
  const author = ctx.authors[0]?.trim();
  return author
    ? [
        { title, author, keywords: `${title} ${author}` },
        { title, keywords: title },
      ]
    : [{ title, keywords: title }];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
