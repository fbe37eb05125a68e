import type { Config } from '../../config/schema.js';
import type { ProcessRequest } from '../pipeline/types.js';
import type { BridgeItemRecord } from '../state/state-store.js';

/**
 * Tags a person adds to a book in ABS to tell the bridge what to do, beside the re-match tag:
 * - `bridge:review`: match it, but send it to review (with its candidates) whatever the confidence;
 * - `bridge:lock`: lock the book's current values (no later match changes them);
 * - `bridge:skip`: never touch this book again (until a person re-matches it by hand or by tag).
 * Each tag is removed once handled, and the book's history says what happened.
 */
export type TagCommand = 'review' | 'lock' | 'skip';

type BridgeConfig = Pick<Config['bridge'], 'triggerTag' | 'tagCommands'>;

/** Every tag that asks the bridge for work: the re-match tag and the commands. */
export function actionTags(bridge: BridgeConfig): string[] {
  return [bridge.triggerTag, ...Object.values(bridge.tagCommands)];
}

/** The commands a book's tags carry. */
export function commandsIn(tags: readonly string[], bridge: BridgeConfig): Set<TagCommand> {
  const out = new Set<TagCommand>();
  for (const [command, tag] of Object.entries(bridge.tagCommands) as [TagCommand, string][])
    if (tags.includes(tag)) out.add(command);
  return out;
}

/** The tags without every action tag (what the PATCH that handles them writes). */
export function withoutActionTags(tags: readonly string[], bridge: BridgeConfig): string[] {
  const action = new Set(actionTags(bridge));
  return tags.filter((t) => !action.has(t));
}

/** A person asked for this run (a manual re-match, the re-match tag): it overrides a skip. */
export function askedByPerson(req: ProcessRequest, tags: readonly string[], bridge: BridgeConfig): boolean {
  return req.reason === 'manual' || req.reason === 'approved' || tags.includes(bridge.triggerTag);
}

/** The field policy with the book's locked fields forced to `locked`. */
export function policyFor(bridge: Config['bridge'], record: BridgeItemRecord | null): Config['bridge'] {
  if (!record?.lockedFields?.length) return bridge;
  const locked = Object.fromEntries(record.lockedFields.map((f) => [f, 'locked' as const]));
  return { ...bridge, fieldPolicy: { ...bridge.fieldPolicy, ...locked } };
}
