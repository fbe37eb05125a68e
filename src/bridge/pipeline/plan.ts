import {
  type AbsValue,
  type AbsValues,
  sameAbsValue,
  toAbsValue,
  WRITABLE_FIELDS,
  type WritableField,
} from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import { looksBinary } from '../../domain/binary-text.js';
import { hasValue, type PartialMetadata } from '../../domain/metadata.js';
import type { FieldChange } from '../service/types.js';

export type FieldPolicy = 'fill-empty' | 'overwrite' | 'locked';

/** A field the bridge had a value for but did not write, and why. */
export interface KeptField {
  field: WritableField;
  reason: 'locked' | 'person-edited' | 'fill-empty';
}

export interface ChangePlan {
  changes: FieldChange[];
  kept: KeptField[];
  /** ABS values before the change, for undo (null = was empty). */
  previous: AbsValues;
  /** New values, in ABS form. */
  next: AbsValues;
}

export interface PlanInput {
  /** ABS's current values (absValuesOf). */
  current: Record<WritableField, AbsValue>;
  /** What the aggregation (or a chosen candidate) wants. */
  desired: PartialMetadata;
  result?: Pick<AggregatedResult, 'sources' | 'provenance'>;
  /** What the bridge last wrote, per field (ABS form). */
  pushed?: AbsValues;
  policy: Pick<Config['bridge'], 'fieldPolicy' | 'defaultPolicy'>;
}

/**
 * Decides, field by field, what to write. A value the bridge pushed earlier that ABS still holds
 * is the bridge's to replace; a value that differs from what the bridge pushed was edited by a
 * person and is kept whatever the policy says.
 */
export function planChanges(input: PlanInput): ChangePlan {
  const plan: ChangePlan = { changes: [], kept: [], previous: {}, next: {} };
  for (const field of WRITABLE_FIELDS) {
    const wanted = input.desired[field];
    if (!hasValue(wanted) && typeof wanted !== 'boolean') continue;
    const want = toAbsValue(field, wanted);
    const cur = input.current[field];
    if (sameAbsValue(field, cur, want)) continue;
    const kept = keepReason(field, cur, input);
    if (kept) {
      plan.kept.push({ field, reason: kept });
      continue;
    }
    plan.previous[field] = cur;
    plan.next[field] = want;
    const winner = input.result?.provenance[field]?.[0];
    plan.changes.push({
      field,
      old: cur,
      new: want,
      ...(input.result?.sources[field] ? { provider: input.result.sources[field] } : {}),
      ...(winner ? { confidence: Number(winner.confidence.toFixed(3)) } : {}),
    });
  }
  return plan;
}

function keepReason(field: WritableField, cur: AbsValue, input: PlanInput): KeptField['reason'] | null {
  const policy: FieldPolicy = input.policy.fieldPolicy[field] ?? input.policy.defaultPolicy;
  if (policy === 'locked') return 'locked';
  const pushed = input.pushed?.[field];
  const ours = pushed !== undefined && sameAbsValue(field, cur, pushed);
  if (pushed !== undefined && !ours) return 'person-edited';
  if (ours) return null;
  // Booleans always "have" a value in ABS; false is the unset state. Binary junk (ABS reads a
  // binary desc.txt as the description) is no value either.
  const empty =
    typeof cur === 'boolean'
      ? cur === false
      : !hasValue(cur) || (typeof cur === 'string' && looksBinary(cur));
  if (policy === 'fill-empty' && !empty) return 'fill-empty';
  return null;
}
