import { foldText } from '../matching/normalize.js';

/**
 * Comparison keys for field values: two values with the same key are "the same" for conflict
 * detection. Accents, case, punctuation and list order do not count.
 */
export function comparisonKey(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field === 'durationSeconds' && typeof value === 'number') {
    // Within one minute is the same length (providers round to minutes).
    return String(Math.round(value / 60));
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => comparisonKey(field, v)).filter(Boolean);
    return field === 'series' ? parts.join('|') : [...new Set(parts)].sort().join('|');
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('name' in obj && 'sequence' in obj) return `${foldText(String(obj.name))}#${numberKey(obj.sequence)}`;
    if ('name' in obj) return foldText(String(obj.name));
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return foldText(value);
  return String(value);
}

function numberKey(sequence: unknown): string {
  if (sequence === null || sequence === undefined) return '';
  const match = /\d+(?:\.\d+)?/.exec(String(sequence));
  return match ? String(Number(match[0])) : String(sequence);
}
