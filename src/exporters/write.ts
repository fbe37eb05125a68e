import path from 'node:path';
import type { CanonicalMetadata } from '../domain/metadata.js';
import type { EventBus } from '../events/bus.js';
import { assertInside, atomicWrite } from '../fs/atomic-write.js';
import type { ExportContext, MetadataExporter } from './types.js';

/**
 * Renders and writes one export atomically; returns the final path and emits `export.complete`.
 * The exporter's output path is resolved against `baseDir` and must stay inside it.
 */
export async function writeExport(
  exporter: MetadataExporter,
  metadata: CanonicalMetadata,
  baseDir: string,
  opts: { ctx?: ExportContext; events?: Pick<EventBus, 'emit'>; rendered?: string | Uint8Array } = {},
): Promise<string> {
  const target = assertInside(baseDir, exporter.outputPath(baseDir, metadata, opts.ctx));
  await atomicWrite(target, opts.rendered ?? exporter.render(metadata, opts.ctx));
  await opts.events?.emit('export.complete', {
    exporter: exporter.name,
    path: target,
    ...(opts.ctx?.itemId ? { itemId: opts.ctx.itemId } : {}),
  });
  return path.resolve(target);
}
