import type { AggregatedResult } from '../domain/aggregated.js';
import type { CanonicalMetadata, PartialMetadata } from '../domain/metadata.js';
import { FIELD_NAMES, hasValue } from '../domain/metadata.js';
import { htmlToPlainText } from './html.js';

/** Escapes text for a Markdown table cell: pipes, backslashes and line breaks would break the row. */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>');
}

/** Short human form of any canonical value. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value
      .map((v) => {
        if (v && typeof v === 'object' && 'name' in v) {
          const s = v as { name: string; sequence?: string | null };
          return s.sequence ? `${s.name} #${s.sequence}` : s.name;
        }
        if (v && typeof v === 'object' && 'title' in v) return (v as { title: string }).title;
        return String(v);
      })
      .join('; ');
  }
  if (typeof value === 'object' && 'url' in (value as object)) return (value as { url: string }).url;
  return JSON.stringify(value);
}

function fieldRows(m: PartialMetadata, result?: AggregatedResult): string[] {
  const rows = ['| Field | Value | Source | Confidence |', '|---|---|---|---|'];
  for (const field of FIELD_NAMES) {
    const value = m[field];
    if (!hasValue(value) || field === 'description') continue;
    const shown = field === 'chapters' ? `${(value as unknown[]).length} chapters` : showValue(value);
    const winner = result?.provenance[field]?.[0];
    const source = result?.sources[field] ?? winner?.provider ?? '—';
    const confidence = winner ? winner.confidence.toFixed(2) : '—';
    rows.push(
      `| ${field} | ${mdCell(shown.length > 300 ? `${shown.slice(0, 300)}…` : shown)} | ${mdCell(source)} | ${confidence} |`,
    );
  }
  return rows;
}

function conflictLines(result: AggregatedResult): string[] {
  if (!result.conflicts.length) return ['No conflicts between providers.'];
  return result.conflicts.flatMap((c) => [
    `- **${c.field}**`,
    ...c.values.map(
      (v) => `  - ${mdCell(v.provider)} (${v.confidence.toFixed(2)}): ${mdCell(showValue(v.value))}`,
    ),
  ]);
}

function providerLines(result: AggregatedResult): string[] {
  return [
    '| Provider | Status | Match | Time |',
    '|---|---|---|---|',
    ...result.providers.map(
      (p) =>
        `| ${mdCell(p.provider)} | ${p.status}${p.error ? `: ${mdCell(p.error.message)}` : ''}${p.reason ? ` (${mdCell(p.reason)})` : ''} | ${p.matchConfidence.toFixed(2)} | ${Math.round(p.durationMs)} ms |`,
    ),
  ];
}

/**
 * A human-readable summary: every known field with the provider that supplied it and its confidence,
 * the description as text, and — when the aggregation is given — conflicts, missing fields and what
 * each provider did.
 */
export function buildMarkdown(m: CanonicalMetadata | PartialMetadata, result?: AggregatedResult): string {
  const title = m.title ?? 'Untitled';
  const lines = [`# ${title.replace(/\r?\n/g, ' ')}`, ''];
  if (m.subtitle) lines.push(`*${m.subtitle.replace(/\r?\n/g, ' ').replace(/\*/g, '\\*')}*`, '');
  if (result) {
    lines.push(`Match confidence: **${result.confidence.toFixed(2)}** · fetched ${result.fetchedAt}`, '');
  }
  lines.push('## Fields', '', ...fieldRows(m, result), '');
  if (m.description && hasValue(m.description))
    lines.push('## Description', '', htmlToPlainText(m.description), '');
  if (m.chapters?.length) {
    lines.push(
      '## Chapters',
      '',
      ...m.chapters.map(
        (c, i) => `${i + 1}. ${mdCell(c.title)} (${c.start.toFixed(1)}–${c.end.toFixed(1)} s)`,
      ),
      '',
    );
  }
  if (result) {
    lines.push('## Conflicts', '', ...conflictLines(result), '');
    if (result.missing.length) lines.push('## Missing', '', result.missing.join(', '), '');
    lines.push('## Providers', '', ...providerLines(result), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
