import { normalizeAsin, normalizeIsbn } from '../domain/identifiers.js';
/**
 * The confidence rule: where an item's confidence may come from. One place, so no provider
 * round can launder a weak match into a certain one.
 *
 * - An identifier (ASIN, ISBN) proves identity only when the item itself carries it: the input
 *   context (ABS's own asin/isbn) or a local provider (a tag, an `[ASIN]` folder name, a sidecar).
 *   A lookup by such an identifier may reach 1.
 * - An identifier a *search* produced carries that search's confidence. The follow-up lookup by
 *   it (Audnexus in round 3) confirms and fills fields but is capped at the confidence of the
 *   result that found the identifier (`capFollowUp`).
 * - Edition-level providers (`capabilities.identifies` = 'edition', the default: Audible,
 *   Audnexus, custom providers) set the confidence with their best candidate's score — but a
 *   search hit that only title and author confirm (no agreeing length, narrator or year), or
 *   that no author confirms and only a roughly right length (`pinnedWithoutAuthor`), stays at
 *   `UNCONFIRMED_CAP` (review) unless the search was
 *   exhaustive and shows no other edition of the work (`capUnconfirmed`). Other editions it
 *   shows are runner-ups unless the item rules them out (`runnerUpScore`, decision.ts).
 * - Work-level providers (Open Library, Google Books, iTunes, Hardcover) only fill fields when an
 *   edition-level provider found the book; when none did, their score counts but never above
 *   `WORK_ONLY_CAP` (below the default apply threshold): agreeing on "Metamorphosis" by Kafka
 *   says nothing about which recording the item is.
 * - Local providers (tags, sidecars, folder names) set the confidence only when no network
 *   provider found anything (offline identification).
 * - The runner-up (`identityRunnerUp`) follows the same order: a work-level candidate that an
 *   edition-level result lists as an edition is represented by that edition's score (it knows
 *   the narrator, length and year a work does not); work-level candidates with no such edition
 *   still count.
 */

import type { LookupContext } from '../domain/lookup.js';
import type { ProviderResult } from '../domain/provider-result.js';
import { runnerUpScore, sameWork } from '../matching/decision.js';
import { EDITION_UNCONFIRMED } from '../matching/score.js';
import type { WeightedResult } from './merge.js';

/** Highest confidence a work-level match alone can give (default `matching.apply` is 0.87). */
export const WORK_ONLY_CAP = 0.85;
/** Highest confidence of a search hit whose edition nothing confirmed (see the rule above). */
export const UNCONFIRMED_CAP = 0.86;

/** What a result's confidence rests on. */
export type Evidence = 'item-identifier' | 'edition' | 'work' | 'local';

/** True when the result was found by an ASIN/ISBN that the item itself carries. */
export function byItemIdentifier(
  result: ProviderResult,
  itemIds: Pick<LookupContext, 'asin' | 'isbn'>,
): boolean {
  if (result.matchedBy === 'asin') {
    const id = normalizeAsin(itemIds.asin);
    return Boolean(id && id === normalizeAsin(result.fields.asin));
  }
  if (result.matchedBy === 'isbn') {
    const id = normalizeIsbn(itemIds.isbn);
    return Boolean(id && id === normalizeIsbn(result.fields.isbn));
  }
  return false;
}

export function evidenceOf(r: WeightedResult, itemIds: Pick<LookupContext, 'asin' | 'isbn'>): Evidence {
  if (r.provider.kind === 'local') return 'local';
  if (byItemIdentifier(r.result, itemIds)) return 'item-identifier';
  return r.provider.capabilities?.identifies === 'work' ? 'work' : 'edition';
}

/**
 * Keeps a search result below apply when its best candidate is only the right *work* — nothing
 * edition-specific agreed (`explanation.edition`), unless the search was exhaustive and holds no
 * other edition of that work — or may be another book: the item names no author and the length
 * does not pin it (`pinnedWithoutAuthor`), or the title differs by a word
 * (`explanation.title_differs`: "Salzburger Sagen und Legenden" for "Lübecker Sagen und
 * Legenden"). An exhaustive search says nothing about books that are not in the catalogue, so it
 * lifts only the first cap.
 */
export function capUnconfirmed(result: ProviderResult): ProviderResult {
  const [best, ...rest] = result.candidates;
  if (!result.success || !best || result.matchedBy === 'asin' || result.matchedBy === 'isbn') return result;
  const e = best.explanation;
  const edition = e.edition === EDITION_UNCONFIRMED;
  // Without an author, a length pins the book only among editions the search showed them all of.
  const noAuthor =
    e.author === 'unknown' &&
    (!pinnedWithoutAuthor(e) || (!result.exhaustive && rest.some((c) => sameWork(best, c))));
  const titleDiffers = e.title_differs !== undefined;
  if ((!edition && !noAuthor && !titleDiffers) || result.matchConfidence <= UNCONFIRMED_CAP) return result;
  // An exhaustive search rules out other editions of the work, not another book of that title
  // that is not in the catalogue: only the unconfirmed edition may pass through it.
  if (!noAuthor && !titleDiffers && result.exhaustive && !rest.some((c) => sameWork(best, c))) return result;
  const why = titleDiffers
    ? `the title differs (${e.title_differs})`
    : noAuthor
      ? 'no author, and only a roughly right length or a work with more editions than the search showed'
      : 'no length, narrator or year agreed, and the search may hold other editions';
  return {
    ...result,
    matchConfidence: UNCONFIRMED_CAP,
    notes: [...(result.notes ?? []), `confidence capped at ${UNCONFIRMED_CAP}: ${why}`],
  };
}

/** Without an author, a length within this many minutes (and `PINNED_RELATIVE`) pins the edition… */
export const PINNED_MINUTES = 1.5;
/** …and within this share of the item's length (after a whole-minute store's rounding). */
export const PINNED_RELATIVE = 0.02;

/**
 * Without an author the title is all that names the work, and an exhaustive search cannot say
 * the item is not another book of that title: the candidate needs a length within
 * `PINNED_MINUTES` and `PINNED_RELATIVE`, an agreeing narrator, or two of a roughly right
 * length, narrator and year.
 */
function pinnedWithoutAuthor(e: Record<string, number | string>): boolean {
  const closeness = typeof e.duration_closeness === 'number' ? e.duration_closeness : 0;
  const minutes =
    typeof e.duration_minutes_off === 'number' ? e.duration_minutes_off : Number.POSITIVE_INFINITY;
  const relative = typeof e.duration_relative_off === 'number' ? e.duration_relative_off : 1;
  const narrator = typeof e.narrator === 'number' && e.narrator >= 0.85;
  if (closeness > 0 && minutes <= PINNED_MINUTES && relative <= PINNED_RELATIVE) return true;
  if (narrator) return true;
  return [closeness >= 0.5, narrator, e.year === 'same'].filter(Boolean).length >= 2;
}

/**
 * Caps a follow-up result found by an identifier that a search produced: its match confidence
 * and its candidates' scores become at most `cap` (the finding result's confidence), and a note
 * says why. Returns the result unchanged when it is below the cap already.
 */
export function capFollowUp(result: ProviderResult, cap: number, foundBy: string): ProviderResult {
  if (!result.success || result.matchConfidence <= cap) return result;
  const note = `confidence capped at ${cap.toFixed(3)}: the identifier came from ${foundBy}'s search, not from the item`;
  return {
    ...result,
    matchConfidence: cap,
    candidates: result.candidates.map((c) => ({
      ...c,
      score: Math.min(c.score, cap),
      explanation: { ...c.explanation, capped_by: `${foundBy} search ${cap.toFixed(3)}` },
    })),
    notes: [...(result.notes ?? []), note],
  };
}

/**
 * The item's confidence from the results kept for the merge, by the rule above, and the
 * evidence it rests on.
 */
export function identityConfidence(
  included: readonly WeightedResult[],
  itemIds: Pick<LookupContext, 'asin' | 'isbn'>,
): { confidence: number; basis: Evidence | 'none' } {
  const best: Partial<Record<Evidence, number>> = {};
  for (const r of included) {
    if (!r.result.success) continue;
    const e = evidenceOf(r, itemIds);
    best[e] = Math.max(best[e] ?? 0, r.result.matchConfidence);
  }
  const edition = Math.max(best['item-identifier'] ?? 0, best.edition ?? 0);
  if (best['item-identifier'] !== undefined || best.edition !== undefined)
    return {
      confidence: edition,
      basis: (best['item-identifier'] ?? 0) >= edition ? 'item-identifier' : 'edition',
    };
  if (best.work !== undefined) return { confidence: Math.min(WORK_ONLY_CAP, best.work), basis: 'work' };
  if (best.local !== undefined) return { confidence: best.local, basis: 'local' };
  return { confidence: 0, basis: 'none' };
}

/**
 * The best score of a candidate that could be the item instead of the chosen one, over the
 * results kept for the merge: `runnerUpScore` of each edition-level (or local, or item-identifier)
 * result, and of each work-level result only the works no edition-level result lists. Without
 * an edition-level result, work-level results count in full.
 */
export function identityRunnerUp(
  included: readonly WeightedResult[],
  itemIds: Pick<LookupContext, 'asin' | 'isbn'>,
): number {
  const successful = included.filter((r) => r.result.success);
  const editionLevel = successful.filter((r) => evidenceOf(r, itemIds) !== 'work');
  const editions = editionLevel
    .filter((r) => evidenceOf(r, itemIds) !== 'local')
    .flatMap((r) => r.result.candidates);
  let runnerUp = 0;
  for (const r of successful) {
    const work = evidenceOf(r, itemIds) === 'work';
    if (!work || !editions.length) {
      runnerUp = Math.max(runnerUp, runnerUpScore(r.result.candidates));
      continue;
    }
    for (const c of r.result.candidates)
      if (!editions.some((e) => sameWork(e, c))) runnerUp = Math.max(runnerUp, c.score);
  }
  return runnerUp;
}
