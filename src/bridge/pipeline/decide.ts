import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import { InvalidRequestError, NotInReviewError, UnknownItemError } from '../../errors.js';
import type { DecisionOutcome } from '../../matching/decision.js';
import type { BridgeItemRecord } from '../state/state-store.js';
import type { TagCommand } from '../triggers/tag-commands.js';
import type { PipelineDeps, ProcessRequest } from './types.js';

/**
 * Decide: the matcher's band for the result, a person's approval, or their review tag (which
 * turns an apply into a review, never a reject into one).
 */
export function decideOn(
  deps: Pick<PipelineDeps, 'matcher'>,
  req: ProcessRequest,
  result: AggregatedResult,
  commands: ReadonlySet<TagCommand>,
  bridge: Config['bridge'],
): DecisionOutcome {
  const decided: DecisionOutcome = req.approve
    ? { decision: 'apply', reason: 'approved by a person' }
    : deps.matcher.decide(result);
  return commands.has('review') && decided.decision !== 'reject'
    ? { decision: 'review', reason: `a person asked to review this book (${bridge.tagCommands.review})` }
    : decided;
}

/** What a person approves: the match of a book in review (checked under the item's lock). */
export function storedResult(record: BridgeItemRecord | null, itemId: string): AggregatedResult {
  if (!record) throw new UnknownItemError(itemId);
  if (record.decision !== 'review' || !record.result) throw new NotInReviewError(itemId, record.decision);
  return record.result;
}

/** The metadata to write: the merged match, or the candidate a person picked from review. */
export function chosenMetadata(result: AggregatedResult, req: ProcessRequest): PartialMetadata {
  const index = req.approve?.candidateIndex;
  if (index === undefined) return result.metadata;
  const candidate = result.candidates[index];
  if (!candidate)
    throw new InvalidRequestError('approval', [
      `candidate ${index} does not exist (have ${result.candidates.length})`,
    ]);
  if (!candidate.fields)
    throw new InvalidRequestError('approval', [`candidate ${index} carries no metadata to apply`]);
  return candidate.fields;
}
