import type { AggregatedResult } from '../../domain/aggregated.js';
import type { DecisionOutcome } from '../../matching/decision.js';

/** The JSON `identify --json` prints for one context. */
export function toIdentifyOutput(result: AggregatedResult, decision: DecisionOutcome) {
  return {
    decision: decision.decision,
    reason: decision.reason,
    confidence: result.confidence,
    runnerUpConfidence: result.runnerUpConfidence,
    metadata: result.metadata,
    sources: result.sources,
    provenance: result.provenance,
    conflicts: result.conflicts,
    missing: result.missing,
    providerTimings: result.providerTimings,
    providers: result.providers,
    candidates: result.candidates,
    context: result.context,
    fetchedAt: result.fetchedAt,
  };
}
export type IdentifyOutput = ReturnType<typeof toIdentifyOutput>;

/** A short human-readable report. */
export function formatIdentifyText(out: IdentifyOutput): string {
  const lines = [`decision: ${out.decision} (confidence ${out.confidence.toFixed(2)}; ${out.reason})`];
  for (const [field, source] of Object.entries(out.sources)) {
    const value =
      (out.metadata as Record<string, unknown>)[field] ??
      out.metadata.customFields[field.replace(/^customFields\./, '')];
    lines.push(`  ${field.padEnd(16)} ${preview(value)}  ← ${source}`);
  }
  if (out.conflicts.length) lines.push(`conflicts: ${out.conflicts.map((c) => c.field).join(', ')}`);
  if (out.missing.length) lines.push(`missing: ${out.missing.join(', ')}`);
  for (const p of out.providers) {
    lines.push(
      `  [${p.provider}] ${p.status}${p.error ? `: ${p.error.message}` : ''}${p.reason ? ` (${p.reason})` : ''}`,
    );
  }
  return lines.join('\n');
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
