import type { AbsValue, AbsValues, WritableField } from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { PartialMetadata } from '../../domain/metadata.js';
import type { DecisionOutcome } from '../../matching/decision.js';
import type { AbsItem } from '../ports.js';
import type { BridgeItemRecord } from '../state/state-store.js';
import { policyFor, withoutActionTags } from '../triggers/tag-commands.js';
import { chosenMetadata } from './decide.js';
import { withGenreRules } from './genre-rules.js';
import { type ChangePlan, planChanges } from './plan.js';
import type { PipelineDeps, ProcessRequest } from './types.js';

export interface PlannedWrite {
  plan: ChangePlan;
  /** What to send to ABS: the plan's values, with the action tags taken off. */
  values: AbsValues;
  /** The metadata the plan was made from (after spellings and genre rules), for the spellings to learn. */
  desired: PartialMetadata;
  /** Notes from the spellings and the genre rules, for the record. */
  notes: string[];
}

/**
 * Plan: the chosen metadata in the library's spelling, through the genre rules, diffed against ABS
 * under the field policy. Only an apply plans changes; every decision takes the action tags off.
 */
export async function planWrite(
  deps: Pick<PipelineDeps, 'spellings'>,
  input: {
    req: ProcessRequest;
    item: AbsItem;
    record: BridgeItemRecord | null;
    result: AggregatedResult;
    decision: DecisionOutcome;
    current: Record<WritableField, AbsValue>;
    /** The item's library's config (library-policy.ts). */
    config: Config;
  },
): Promise<PlannedWrite> {
  const { req, item, record, result, current, config } = input;
  const applying = input.decision.decision === 'apply';
  const chosen = chosenMetadata(result, req);
  // Names in the library's own spelling, so a match never adds a second "J.R.R. Tolkien".
  const respelt =
    applying && deps.spellings
      ? await deps.spellings.respell(item.libraryId, chosen)
      : { metadata: chosen, notes: [] };
  const ruled = applying
    ? withGenreRules(
        respelt.metadata,
        { genres: current.genres as string[], tags: current.tags as string[] },
        { genres: config.genres, bridge: policyFor(choiceOverwrites(config.bridge, req), record) },
      )
    : { desired: respelt.metadata, bridge: config.bridge, notes: [] };
  const plan = applying
    ? planChanges({
        current,
        desired: ruled.desired,
        result,
        ...(record?.pushed ? { pushed: record.pushed } : {}),
        policy: ruled.bridge,
      })
    : { changes: [], kept: [], previous: {}, next: {} };
  const values: AbsValues = { ...plan.next };
  const tags = (values.tags ?? current.tags) as string[];
  // Action tags (re-match, review) are removed in the same PATCH, whatever the decision.
  const kept = withoutActionTags(tags, config.bridge);
  if (kept.length !== tags.length) values.tags = kept;
  return { plan, values, desired: ruled.desired, notes: [...respelt.notes, ...ruled.notes] };
}

/**
 * A person who picked the book (a candidate from review, or a title/author/ASIN of their own) meant
 * that book: its values replace what is there, where fill-empty would keep them. Locked fields and
 * a person's own edits are still kept.
 */
function choiceOverwrites(bridge: Config['bridge'], req: ProcessRequest): Config['bridge'] {
  const chose = req.hint !== undefined || req.approve?.candidateIndex !== undefined;
  return chose ? { ...bridge, defaultPolicy: 'overwrite' } : bridge;
}
