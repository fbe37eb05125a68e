import {
  type AbsValues,
  absToCanonical,
  absValuesOf,
  buildPatchBody,
  isEmptyPatch,
  snapshotKey,
  type WritableField,
} from '../../abs/stored-form.js';
import type { Config } from '../../config/schema.js';
import type { AggregatedResult } from '../../domain/aggregated.js';
import type { CanonicalMetadata, Chapter } from '../../domain/metadata.js';
import type { EventBus } from '../../events/bus.js';
import type { ExporterRegistry } from '../../exporters/registry.js';
import { type SidecarFingerprints, type SidecarOutcome, writeSidecars } from '../../exporters/sidecars.js';
import type { Logger } from '../../logging.js';
import type { AbsItem, AbsMedia, BridgeAbs } from '../ports.js';
import { chaptersFit, chaptersReplaceable } from './item-context.js';

export interface ApplyDeps {
  abs: BridgeAbs;
  config: Config;
  logger: Logger;
  events: Pick<EventBus, 'emit'>;
  exporters?: ExporterRegistry;
  /** Called as soon as ABS has answered a PATCH, before anything else, so its echo is recognised. */
  onPushed(itemId: string, snapshot: string): void;
}

export interface ApplyInput {
  item: AbsItem;
  /** ABS-form values to write (already filtered by the field policy; may include `tags`). */
  values: AbsValues;
  /** Chapters/cover/sidecars only on a real apply (not for a bare trigger-tag removal). */
  full: boolean;
  result?: AggregatedResult;
  folder: string | null;
  /** Sidecar fingerprints from the item's last run (lets unchanged sidecars be skipped unread). */
  knownSidecars?: SidecarFingerprints;
}

export interface ApplyOutcome {
  /** ABS's media after the writes (the new "last seen"). */
  media: AbsMedia;
  patched: boolean;
  /** Values ABS stored for the fields sent, in ABS form. */
  stored: AbsValues;
  chaptersWritten: boolean;
  coverSet: boolean;
  sidecars: string[];
  /** The sidecars as they are on disk after this run. */
  sidecarFingerprints?: SidecarFingerprints;
  notes: string[];
  /** A step failed (cover, scan after sidecars): the next run must try again. */
  failed?: boolean;
}

/** PATCH (only when something changed) → chapters → cover → sidecars. */
export async function applyToAbs(deps: ApplyDeps, input: ApplyInput): Promise<ApplyOutcome> {
  const { item } = input;
  const out: ApplyOutcome = {
    media: item.media,
    patched: false,
    stored: {},
    chaptersWritten: false,
    coverSet: false,
    sidecars: [],
    notes: [],
  };
  const body = buildPatchBody(input.values);
  if (!isEmptyPatch(body)) {
    const res = await deps.abs.patchMedia(item.id, body);
    out.patched = res.updated;
    // The PATCH answer is the plain item: keep expanded-only keys (duration, audioFiles) from before.
    out.media = { ...item.media, ...res.libraryItem.media };
    deps.onPushed(item.id, snapshotKey(out.media));
    const after = absValuesOf(out.media);
    for (const field of Object.keys(input.values) as WritableField[]) out.stored[field] = after[field];
  }
  if (!input.full || !input.result) return out;
  out.chaptersWritten = await maybeChapters(deps, item, input.result.metadata.chapters, out);
  out.coverSet = await maybeCover(deps, item, input.result, out);
  if (input.folder && deps.config.bridge.sidecars.length > 0) {
    const sidecars = await sidecarsFor(
      deps,
      item.id,
      out.media,
      { ...input, folder: input.folder, result: input.result },
      out.notes,
    );
    out.sidecars = sidecars.written;
    out.sidecarFingerprints = sidecars.fingerprints;
    // Sidecar writes reach ABS only through a scan (its watcher ignores in-place and rename-over writes).
    if (out.sidecars.length > 0 && deps.config.bridge.scanAfterSidecars)
      await scanAfterSidecars(deps, item.id, out);
  }
  return out;
}

async function scanAfterSidecars(deps: ApplyDeps, itemId: string, out: ApplyOutcome): Promise<void> {
  try {
    await deps.abs.scanItem(itemId);
  } catch (error) {
    out.failed = true;
    deps.logger.warn({ itemId, err: error }, 'item scan after sidecars failed');
    out.notes.push(`item scan after sidecars failed: ${(error as Error).message}`);
  }
}

async function maybeChapters(
  deps: ApplyDeps,
  item: AbsItem,
  chapters: Chapter[] | undefined,
  out: ApplyOutcome,
): Promise<boolean> {
  if (!deps.config.bridge.writeChapters || !chapters) return false;
  if (!chaptersReplaceable(item) || !chaptersFit(chapters, item.media.duration)) return false;
  const same =
    JSON.stringify((item.media.chapters ?? []).map((c) => [c.start, c.end, c.title])) ===
    JSON.stringify(chapters.map((c) => [c.start, c.end, c.title]));
  if (same) return false;
  const res = await deps.abs.updateChapters(
    item.id,
    chapters.map((c) => ({ start: c.start, end: c.end, title: c.title })),
  );
  out.media = { ...out.media, chapters: chapters.map((c, id) => ({ id, ...c })) };
  return res.updated;
}

/** Only when the item has no cover: ABS gives no size for its cover, so "better" cannot be proven. */
async function maybeCover(
  deps: ApplyDeps,
  item: AbsItem,
  result: AggregatedResult,
  out: ApplyOutcome,
): Promise<boolean> {
  const url = result.metadata.cover?.url;
  if (!deps.config.bridge.writeCover || !url || item.media.coverPath) return false;
  try {
    await deps.abs.uploadCoverFromUrl(item.id, url);
    return true;
  } catch (error) {
    // A refused cover (SSRF filter, not an image) must not undo the metadata that was written.
    deps.logger.warn({ itemId: item.id, err: error }, 'cover not set');
    out.failed = true;
    out.notes.push(`cover not set: ${(error as Error).message}`);
    return false;
  }
}

async function sidecarsFor(
  deps: ApplyDeps,
  itemId: string,
  media: AbsMedia,
  input: ApplyInput & { folder: string; result: AggregatedResult },
  notes: string[],
): Promise<SidecarOutcome> {
  if (!deps.exporters) {
    notes.push('sidecars skipped: no exporters available');
    return { written: [], fingerprints: {} };
  }
  const { folder, result } = input;
  // The sidecars show what ABS now holds, so ABS reading metadata.json back changes nothing.
  const metadata: CanonicalMetadata = { ...absToCanonical(media), customFields: {} };
  if (result.metadata.cover) metadata.cover = result.metadata.cover;
  const audioFiles = (media.audioFiles ?? []).map((f) => ({
    path: f.metadata.relPath ?? f.metadata.filename,
    ...(f.duration ? { durationSeconds: f.duration } : {}),
  }));
  return writeSidecars({
    registry: deps.exporters,
    names: deps.config.bridge.sidecars,
    metadata,
    folder,
    ctx: { itemId, result, audioFiles, options: { opfFileName: deps.config.bridge.opfFileName } },
    events: deps.events,
    ...(input.knownSidecars ? { known: input.knownSidecars } : {}),
  });
}
