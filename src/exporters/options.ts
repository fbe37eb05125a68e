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
  const template = ctx?.options?.fileName;
  return fileNameFromTemplate(
    typeof template === 'string' && template ? template : defaultName,
    metadata,
    defaultName,
  );
}
