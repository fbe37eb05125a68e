import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { AbortError, EndOfStreamError, fromFile } from 'strtok3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BLOCK_SIZE, BlockFileTokenizer } from '../../src/fs/block-file-tokenizer.js';

/** Byte i of every test file: a pattern whose offsets are recognisable. */
const byteAt = (i: number) => (i * 7 + (i >> 8)) % 251;
const pattern = (start: number, length: number) => Uint8Array.from({ length }, (_, k) => byteAt(start + k));

describe('BlockFileTokenizer', () => {
  let dir: string;
  let handlePrototype: { read: () => unknown };
  let reads: ReturnType<typeof vi.spyOn>;
  const file = (name: string, size: number) => {
    const p = path.join(dir, name);
    writeFileSync(p, pattern(0, size));
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'block-tokenizer-'));
    // Every FileHandle shares one prototype: its `read` is what both tokenizers call.
    const probe = await open(file('probe', 1), 'r');
    handlePrototype = Object.getPrototypeOf(probe);
    await probe.close();
    reads = vi.spyOn(handlePrototype, 'read');
  });
  afterEach(() => reads.mockClear());
  afterAll(() => {
    reads.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file smaller than a block with one read, and sees EOF only when asked past it', async () => {
    const small = file('small', 1000);
    const t = await BlockFileTokenizer.open(small);
    expect(t.fileInfo).toEqual({ path: small, size: 1000 });
    const head = new Uint8Array(10);
    await t.readBuffer(head);
    const tail = new Uint8Array(128);
    await t.peekBuffer(tail, { position: 1000 - 128 });
    expect(head).toEqual(pattern(0, 10));
    expect(tail).toEqual(pattern(1000 - 128, 128));
    expect(reads).toHaveBeenCalledTimes(1);
    // Past the end: one zero-byte read proves EOF, and it is remembered.
    const past = new Uint8Array(20);
    expect(await t.peekBuffer(past, { position: 990, mayBeLess: true })).toBe(10);
    expect(await t.peekBuffer(past, { position: 995, mayBeLess: true })).toBe(5);
    expect(reads).toHaveBeenCalledTimes(2);
    await t.close();
  });

  it('reads across a block boundary from the two blocks, and serves them again from the cache', async () => {
    const f = file('boundary', 100);
    const t = await BlockFileTokenizer.open(f, { blockSize: 16 });
    const across = new Uint8Array(8);
    expect(await t.readBuffer(across, { position: 12 })).toBe(8);
    expect(across).toEqual(pattern(12, 8));
    expect(t.position).toBe(20);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(await t.peekBuffer(across, { position: 14 })).toBe(8);
    expect(across).toEqual(pattern(14, 8));
    expect(reads).toHaveBeenCalledTimes(2);
    await t.close();
  });

  it('reads a file spanning several blocks in order, block by block', async () => {
    const f = file('several', 5 * 16 + 3);
    const t = await BlockFileTokenizer.open(f, { blockSize: 16 });
    const token = new Uint8Array(5);
    const seen: number[] = [];
    while ((await t.readBuffer(token, { mayBeLess: true })) === 5) seen.push(...token);
    expect(seen).toEqual([...pattern(0, 80)]);
    expect(t.position).toBe(83);
    // Six blocks (the last one short) and the zero-byte read at the end.
    expect(reads).toHaveBeenCalledTimes(7);
    await t.close();
  });

  it('peeks without moving the position; reads move it by what they copied', async () => {
    const t = await BlockFileTokenizer.open(file('position', 64), { blockSize: 16 });
    const four = new Uint8Array(4);
    await t.peekBuffer(four);
    expect(four).toEqual(pattern(0, 4));
    expect(t.position).toBe(0);
    await t.readBuffer(four);
    expect(t.position).toBe(4);
    await t.readBuffer(four);
    expect(four).toEqual(pattern(4, 4));
    expect(t.position).toBe(8);
    await t.peekBuffer(four, { position: 40 });
    expect(four).toEqual(pattern(40, 4));
    expect(t.position).toBe(8);
    await t.readBuffer(four, { position: 30 });
    expect(t.position).toBe(34);
    // An earlier position is allowed: the file is random access.
    await t.readBuffer(four, { position: 2, length: 2 });
    expect([...four.subarray(0, 2)]).toEqual([...pattern(2, 2)]);
    expect(t.position).toBe(4);
    await t.close();
  });

  it('returns the bytes up to EOF with mayBeLess, and throws EndOfStreamError without it', async () => {
    const t = await BlockFileTokenizer.open(file('eof', 40), { blockSize: 16 });
    const ten = new Uint8Array(10);
    expect(await t.peekBuffer(ten, { position: 36, mayBeLess: true })).toBe(4);
    expect(ten.subarray(0, 4)).toEqual(pattern(36, 4));
    expect(t.position).toBe(0);
    await expect(t.peekBuffer(ten, { position: 36 })).rejects.toBeInstanceOf(EndOfStreamError);
    expect(t.position).toBe(0);
    expect(await t.readBuffer(ten, { position: 36, mayBeLess: true })).toBe(4);
    expect(t.position).toBe(40);
    // As FileTokenizer: a failed read still moves past the bytes it copied.
    await expect(t.readBuffer(ten, { position: 33 })).rejects.toBeInstanceOf(EndOfStreamError);
    expect(t.position).toBe(40);
    expect(await t.readBuffer(ten, { position: 100, mayBeLess: true })).toBe(0);
    expect(t.position).toBe(100);
    await t.close();
  });

  it('reads the tail then the head with one read each, at the default block size', async () => {
    const size = 10 * BLOCK_SIZE + 1000;
    const t = await BlockFileTokenizer.open(file('tail-head', size));
    const id3v1 = new Uint8Array(128);
    await t.peekBuffer(id3v1, { position: size - 128 });
    const header = new Uint8Array(10);
    await t.peekBuffer(header, { position: 0 });
    await t.peekBuffer(id3v1, { position: size - 128 });
    expect(id3v1).toEqual(pattern(size - 128, 128));
    expect(header).toEqual(pattern(0, 10));
    expect(reads).toHaveBeenCalledTimes(2);
    await t.close();
  });

  it('shares one read between concurrent requests for the same block', async () => {
    const t = await BlockFileTokenizer.open(file('concurrent', 100), { blockSize: 16 });
    const [a, b] = [new Uint8Array(4), new Uint8Array(4)];
    await Promise.all([t.peekBuffer(a, { position: 20 }), t.peekBuffer(b, { position: 26 })]);
    expect([a, b]).toEqual([pattern(20, 4), pattern(26, 4)]);
    expect(reads).toHaveBeenCalledTimes(1);
    await t.close();
  });

  it('reads a request of a block or more straight into the target', async () => {
    const t = await BlockFileTokenizer.open(file('direct', 100), { blockSize: 16 });
    const big = new Uint8Array(50);
    expect(await t.readBuffer(big, { position: 10 })).toBe(50);
    expect(big).toEqual(pattern(10, 50));
    expect(reads).toHaveBeenCalledTimes(1);
    await t.close();
  });

  it('keeps the most recently used blocks and reads an evicted one again', async () => {
    const t = await BlockFileTokenizer.open(file('lru', 64), { blockSize: 16, maxBlocks: 2 });
    const one = new Uint8Array(1);
    for (const position of [0, 16, 0, 32, 0]) await t.peekBuffer(one, { position });
    expect(reads).toHaveBeenCalledTimes(3);
    await t.peekBuffer(one, { position: 16 });
    expect(reads).toHaveBeenCalledTimes(4);
    await t.close();
  });

  it('answers every sequence of reads and peeks exactly as strtok3 FileTokenizer does', async () => {
    const size = 3 * 16 + 5;
    const f = file('model', size);
    const op = fc.record({
      peek: fc.boolean(),
      position: fc.option(fc.nat(size + 8), { nil: undefined }),
      length: fc.nat(40),
      mayBeLess: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (ops, maxBlocks) => {
          const ours = await BlockFileTokenizer.open(f, { blockSize: 16, maxBlocks });
          const theirs = await fromFile(f);
          try {
            for (const { peek, position, length, mayBeLess } of ops) {
              const run = async (t: typeof ours | typeof theirs) => {
                const target = new Uint8Array(length);
                const options = { length, mayBeLess, ...(position === undefined ? {} : { position }) };
                const got = await (peek
                  ? t.peekBuffer(target, options)
                  : t.readBuffer(target, options)
                ).catch((error: unknown) => (error as Error).constructor.name);
                return {
                  got,
                  bytes: typeof got === 'number' ? [...target.subarray(0, got)] : [],
                  at: t.position,
                };
              };
              expect(await run(ours)).toEqual(await run(theirs));
            }
          } finally {
            await ours.close();
            await theirs.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('treats an abort signal as FileTokenizer does: refused when already aborted, reads go on after', async () => {
    const f = file('abort', 100);
    const aborted = AbortSignal.abort();
    await expect(BlockFileTokenizer.open(f, { abortSignal: aborted })).rejects.toBeInstanceOf(AbortError);
    await expect(fromFile(f, { abortSignal: aborted })).rejects.toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const [ours, theirs] = [
      await BlockFileTokenizer.open(f, { abortSignal: controller.signal }),
      await fromFile(f, { abortSignal: controller.signal }),
    ];
    controller.abort();
    const [a, b] = [new Uint8Array(4), new Uint8Array(4)];
    expect(await ours.readBuffer(a)).toBe(await theirs.readBuffer(b));
    expect(a).toEqual(b);
    await ours.close();
    await theirs.close();
  });

  it('closes its file handle and drops its blocks', async () => {
    const t = await BlockFileTokenizer.open(file('close', 10));
    await t.peekBuffer(new Uint8Array(4));
    await t.close();
    await expect(t.peekBuffer(new Uint8Array(4))).rejects.toThrow(/closed/);
  });
});
