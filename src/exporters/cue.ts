import { buildCue } from '../formats/cue.js';
import { safeFileName } from '../formats/filename.js';
import { exportFileName } from './options.js';
import type { ExportContext, MetadataExporter } from './types.js';

/** Players pair `Book.m4b` with `Book.cue`; several files get a sheet named after the title. */
function defaultCueName(ctx: ExportContext | undefined, title: string | undefined): string {
  const files = ctx?.audioFiles ?? [];
  const only = files.length === 1 ? files[0]?.path.split(/[\\/]/).pop() : undefined;
  if (only) return safeFileName(only.replace(/\.[^.]+$/, ''), '.cue');
  return safeFileName(title ?? 'book', '.cue');
}

/** CUE sheet of the chapters over the book's audio files (needs `ctx.audioFiles`). */
export function createCueExporter(): MetadataExporter {
  return {
    name: 'cue',
    fileExtension: '.cue',
    description: 'CUE sheet: one track per chapter, over single- or multi-file books',
    render: (metadata, ctx) => buildCue(metadata, ctx?.audioFiles ?? []),
    outputPath: (_dir, metadata, ctx) => exportFileName(metadata, ctx, defaultCueName(ctx, metadata.title)),
  };
}
