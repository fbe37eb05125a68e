import type { FieldChange, ItemRecord, MatchOutcome, UndoOutcome } from '../bridge/service/types.js';
import type { BackfillReport } from '../bridge/triggers/backfill.js';

/** Pure text renderings of bridge outcomes for the CLI. */

const MAX = 60;

function show(value: unknown): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '∅';
  const text = Array.isArray(value)
    ? value
        .map((v) =>
          typeof v === 'object' && v && 'name' in v
            ? seriesOrName(v as { name: string; sequence?: string | null })
            : String(v),
        )
        .join(', ')
    : String(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX ? `${flat.slice(0, MAX - 1)}…` : flat;
}

function seriesOrName(v: { name: string; sequence?: string | null }): string {
  return v.sequence ? `${v.name} #${v.sequence}` : v.name;
}

/** `publisher: ∅ → Tor  [audible 0.95]` */
export function formatChange(c: FieldChange): string {
  const source = c.provider
    ? `  [${c.provider}${c.confidence !== undefined ? ` ${c.confidence.toFixed(2)}` : ''}]`
    : '';
  return `  ${c.field}: ${show(c.old)} → ${show(c.new)}${source}`;
}

/** "confidence 0.85 below 0.87", not "confidence 0.85; confidence 0.85 below 0.87". */
function reasonWithConfidence(o: MatchOutcome): string {
  if (o.reason.startsWith('confidence ')) return o.reason;
  return `confidence ${o.confidence.toFixed(2)}; ${o.reason}`;
}

export function formatOutcome(o: MatchOutcome): string {
  const head = o.skipped
    ? `${o.itemId}: skipped (${o.skipped})`
    : `${o.itemId}: ${o.decision} (${reasonWithConfidence(o)})${o.dryRun ? ' [dry run: nothing written]' : ''}`;
  const lines = [head];
  if (o.changes.length === 0 && !o.skipped) lines.push('  no changes');
  lines.push(...o.changes.map(formatChange));
  for (const k of o.kept ?? []) lines.push(`  ${k.field}: kept (${k.reason})`);
  if (o.sidecars.length > 0) lines.push(`  sidecars: ${o.sidecars.join(', ')}`);
  return lines.join('\n');
}

export function formatUndo(u: UndoOutcome & { keptFields?: string[] }): string {
  const restored =
    u.restoredFields.length > 0 ? `restored ${u.restoredFields.join(', ')}` : 'nothing to restore';
  const kept = u.keptFields?.length ? `; kept (edited since): ${u.keptFields.join(', ')}` : '';
  return `${u.itemId}: ${restored}${kept}`;
}

/** One review entry with its numbered candidates (the numbers `review approve --candidate` takes). */
export function formatReviewEntry(r: ItemRecord): string {
  const lines = [
    `${r.itemId}  ${r.title ?? '(untitled)'}  confidence ${(r.confidence ?? 0).toFixed(2)}  ${r.reason ?? ''}`,
  ];
  for (const [i, c] of (r.result?.candidates ?? []).entries()) {
    const who = c.authors?.length ? ` — ${c.authors.join(', ')}` : '';
    lines.push(
      `  [${i}] ${c.provider}: ${c.title ?? c.id}${who}  score ${c.score.toFixed(2)}${c.fields ? '' : '  (no fields)'}`,
    );
  }
  return lines.join('\n');
}

export function formatBackfill(r: BackfillReport): string {
  const decisions = Object.entries(r.decisions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const dry = r.dryRun ? ' [dry run: nothing written]' : '';
  return `library ${r.libraryId} (${r.mode})${dry}: ${r.total} items, ${r.processed} processed, ${r.resumed} already done, ${r.failed} failed${decisions ? ` — ${decisions}` : ''}`;
}
