import type { PartialMetadata } from '../domain/metadata.js';
import { fileNameFromTemplate } from '../formats/filename.js';
import type { ExportContext } from './types.js';

/**
 * The file name an exporter writes: `ctx.options.fileName` (a template such as `{asin}.opf`) when
 * given, else the exporter's default. Always one sanitised name, never a path.
 */
export function exportFileName(
  metadata: PartialMetadata,
  ctx: ExportContext | undefined,
  defaultName: string,
): string {
  // `opfFileName` is accepted too: the bridge passes config.bridge.opfFileName under that key.
  const template = ctx?.options?.fileName ?? ctx?.options?.opfFileName;
  return fileNameFromTemplate(
    typeof template === 'string' && template ? template : defaultName,
    metadata,
    defaultName,
  );
}
