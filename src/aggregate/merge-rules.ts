import { z } from 'zod';
import type { FieldName } from '../domain/metadata.js';

/**
 * How the values of one field from several providers become one.
 * - `best`: the highest-scoring value wins whole (default).
 * - `union`: list fields collect the values of every provider whose score is at least
 *   `unionMinRatio` of the best, deduplicated case-insensitively, best provider's order first.
 */
export const MergeRuleSchema = z.enum(['best', 'union']);
export type MergeRule = z.infer<typeof MergeRuleSchema>;

export const DEFAULT_MERGE_RULES: Partial<Record<FieldName, MergeRule>> = {
  genres: 'union',
  tags: 'union',
};

/** Fields whose differing values are normal and not reported as conflicts. */
export const DEFAULT_CONFLICT_IGNORE: readonly FieldName[] = [
  'description',
  'cover',
  'chapters',
  'rating',
  'tags',
];

export interface MergeOptions {
  rules: Partial<Record<FieldName, MergeRule>>;
  /** For `union`: a provider joins when its score ≥ this fraction of the best score. @default 0.5 */
  unionMinRatio: number;
  conflictIgnore: readonly FieldName[];
}

export const DEFAULT_MERGE_OPTIONS: MergeOptions = {
  rules: DEFAULT_MERGE_RULES,
  unionMinRatio: 0.5,
  conflictIgnore: DEFAULT_CONFLICT_IGNORE,
};
