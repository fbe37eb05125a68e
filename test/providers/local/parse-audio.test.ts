import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAudioFile } from '../../../src/providers/local/parse-audio.js';
import { FIXTURES, hasBinary, makeAudio, tempDir } from './helpers.js';

const OPTIONS = { includeChapters: true, duration: false, skipCovers: true };
const tmp = tempDir('parse-audio-');

describe('parseAudioFile (music-metadata over the block-caching tokenizer)', () => {
  let reads: ReturnType<typeof vi.spyOn>;
  let bytesRead = 0;

  beforeAll(async () => {
    const probe = await open(path.join(FIXTURES, 'tagged-chapters.mp3'), 'r');
    const prototype = Object.getPrototypeOf(probe) as {
      read: (...args: unknown[]) => Promise<{ bytesRead: number }>;
    };
    await probe.close();
    const read = prototype.read;
    reads = vi.spyOn(prototype, 'read').mockImplementation(async function (
      this: unknown,
      ...args: unknown[]
    ) {
      const result = await read.apply(this, args);
      bytesRead += result.bytesRead;
      return result;
    });
  });
  afterAll(() => {
    reads.mockRestore();
    tmp.cleanup();
  });

  /** The metadata and how many reads (and bytes) it took. */
  async function counted(
    parse: () => Promise<unknown>,
  ): Promise<{ metadata: unknown; reads: number; bytes: number }> {
    reads.mockClear();
    bytesRead = 0;
    const metadata = await parse();
    return { metadata, reads: reads.mock.calls.length, bytes: bytesRead };
  }

  it.skipIf(!hasBinary('ffmpeg'))(
    'reads the tags of an ffmpeg mp3 in a few reads where parseFile makes one per token',
    async () => {
      const file = path.join(tmp.dir, 'book.mp3');
      makeAudio(file, 60, [
        ...['-c:a', 'libmp3lame', '-b:a', '8k'],
        ...['-metadata', 'title=Block Book', '-metadata', 'artist=Jane Doe', '-metadata', 'album=Block Book'],
      ]);
      const before = await counted(() => parseFile(file, OPTIONS));
      const after = await counted(() => parseAudioFile(file, OPTIONS));
      expect(after.metadata).toEqual(before.metadata);
      expect(after.metadata).toMatchObject({ common: { title: 'Block Book', artist: 'Jane Doe' } });
      // The head block and the tail block (the file is 60 KB: it ends inside the head's neighbour).
      expect(after.reads).toBeLessThanOrEqual(2);
      expect(before.reads).toBeGreaterThan(10);
    },
  );

  it.skipIf(!hasBinary('ffmpeg'))(
    'reads the head and the tail of a large file, not the whole file',
    async () => {
      const segment = path.join(tmp.dir, 'segment.mp3');
      makeAudio(segment, 60, ['-c:a', 'libmp3lame', '-b:a', '64k']);
      const file = path.join(tmp.dir, 'long.mp3');
      // 40 copies of the segment's frames, tagged: ~19 MB without encoding 40 minutes of audio.
      execFileSync('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-stream_loop', '39', '-i', segment, '-c', 'copy'],
        ...['-metadata', 'title=Long Book', file],
      ]);
      const size = statSync(file).size;
      expect(size).toBeGreaterThan(15_000_000);
      const before = await counted(() => parseFile(file, OPTIONS));
      const after = await counted(() => parseAudioFile(file, OPTIONS));
      expect(after.metadata).toEqual(before.metadata);
      expect(after.metadata).toMatchObject({ common: { title: 'Long Book' } });
      expect(after.reads).toBeLessThanOrEqual(3);
      expect(after.bytes).toBeLessThanOrEqual(3 * 64 * 1024);
    },
  );

  it('reads what parseFile reads from the shipped mp3 and m4b fixtures, errors included', async () => {
    for (const name of ['tagged-chapters.mp3', 'tagged-moov-end.m4b', 'tagged-faststart.m4b']) {
      const file = path.join(FIXTURES, name);
      for (const includeChapters of [true, false]) {
        const options = { ...OPTIONS, includeChapters };
        const settle = (p: Promise<unknown>) => p.catch((e: Error) => `${e.constructor.name}: ${e.message}`);
        expect(await settle(parseAudioFile(file, options))).toEqual(await settle(parseFile(file, options)));
      }
    }
  });

  it('names the file when the format cannot be determined, as parseFile does', async () => {
    const file = path.join(tmp.dir, 'notes.xyz');
    writeFileSync(file, 'plain text, not audio');
    const [ours, theirs] = await Promise.all([
      parseAudioFile(file, OPTIONS).catch((e: Error) => e),
      parseFile(file, OPTIONS).catch((e: Error) => e),
    ]);
    expect((ours as Error).message).toBe((theirs as Error).message);
    expect((ours as Error).message).toContain(file);
    expect((ours as Error).constructor).toBe((theirs as Error).constructor);
  });
});
