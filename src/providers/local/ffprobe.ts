import { execFile } from 'node:child_process';
import { z } from 'zod';
import type { Chapter } from '../../domain/metadata.js';

/** What we take from `ffprobe -show_format -show_chapters -print_format json`. */
const FfprobeSchema = z.object({
  chapters: z
    .array(
      z.object({
        start_time: z.coerce.number().optional(),
        end_time: z.coerce.number().optional(),
        tags: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
  format: z
    .object({
      duration: z.coerce.number().optional(),
      tags: z.record(z.string(), z.unknown()).optional(),
    })
    .default({}),
});

export interface FfprobeOutput {
  chapters: Chapter[];
  durationSeconds?: number;
  tags: Record<string, unknown>;
}

/** The binary was not found: chapters of some containers cannot be read. */
export class FfprobeMissingError extends Error {
  constructor(readonly binary: string) {
    super(`ffprobe not found ("${binary}")`);
  }
}

/** Maps ffprobe JSON to chapters in seconds; a chapter without a title gets "Chapter N". Pure. */
export function parseFfprobeJson(json: unknown): FfprobeOutput {
  const parsed = FfprobeSchema.parse(json);
  const chapters = parsed.chapters
    .filter((c) => c.start_time !== undefined && Number.isFinite(c.start_time))
    .map((c, i) => {
      const start = Math.max(0, c.start_time ?? 0);
      const title =
        typeof c.tags?.title === 'string' && c.tags.title.trim() ? c.tags.title.trim() : `Chapter ${i + 1}`;
      return { start, end: Math.max(start, c.end_time ?? start), title };
    });
  return {
    chapters,
    ...(parsed.format.duration !== undefined && Number.isFinite(parsed.format.duration)
      ? { durationSeconds: parsed.format.duration }
      : {}),
    tags: parsed.format.tags ?? {},
  };
}

/**
 * Runs ffprobe on one file. Rejects with FfprobeMissingError when the binary is absent, and with
 * an Error naming the file when ffprobe fails or prints something that is not its JSON.
 */
export function runFfprobe(binary: string, file: string, signal?: AbortSignal): Promise<FfprobeOutput> {
  const args = ['-v', 'error', '-show_format', '-show_chapters', '-print_format', 'json', file];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout: 30_000, maxBuffer: 32 * 1024 * 1024, ...(signal ? { signal } : {}) },
      (error, stdout, stderr) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(new FfprobeMissingError(binary));
          const detail = String(stderr).trim().split('\n').at(-1) || error.message;
          return reject(new Error(`ffprobe failed on ${file}: ${detail}`, { cause: error }));
        }
        try {
          resolve(parseFfprobeJson(JSON.parse(String(stdout))));
        } catch (cause) {
          reject(new Error(`ffprobe printed unexpected output for ${file}`, { cause }));
        }
      },
    );
  });
}
