import path from 'node:path';
import type { CanonicalMetadata } from '../domain/metadata.js';
import type { EventBus } from '../events/bus.js';
import { type AtomicWriteOptions, assertInside, atomicWrite, type WrittenFile } from '../fs/atomic-write.js';
import type { ExportContext, MetadataExporter } from './types.js';

/** Where an export went, and the file's size and mtime as written. */
export interface WrittenExport extends WrittenFile {
  path: string;
}

export interface WriteExportOptions {
  ctx?: ExportContext;
  events?: Pick<EventBus, 'emit'>;
  rendered?: string | Uint8Array;
  /** What the caller found at the target (see AtomicWriteOptions), saving a stat. */
  existing?: AtomicWriteOptions['existing'];
}

/**
 * Renders and writes one export atomically; returns the final path and emits `export.complete`.
 * The exporter's output path is resolved against `baseDir` and must stay inside it.
 */
export async function writeExport(
  exporter: MetadataExporter,
  metadata: CanonicalMetadata,
  baseDir: string,
  opts: WriteExportOptions = {},
): Promise<string> {
  return (await writeExportFile(exporter, metadata, baseDir, opts)).path;
}

/** `writeExport`, returning the written file's size and mtime beside its path. */
export async function writeExportFile(
  exporter: MetadataExporter,
  metadata: CanonicalMetadata,
  baseDir: string,
  opts: WriteExportOptions = {},
): Promise<WrittenExport> {
  const target = assertInside(baseDir, exporter.outputPath(baseDir, metadata, opts.ctx));
  const written = await atomicWrite(target, opts.rendered ?? exporter.render(metadata, opts.ctx), {
    existing: opts.existing,
  });
  await opts.events?.emit('export.complete', {
    exporter: exporter.name,
    path: target,
    ...(opts.ctx?.itemId ? { itemId: opts.ctx.itemId } : {}),
  });
  return { path: path.resolve(target), ...written };
}
