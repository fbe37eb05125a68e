import { type FileHandle, open } from 'node:fs/promises';
import { EndOfStreamError, FileTokenizer, type IReadChunkOptions, type ITokenizerOptions } from 'strtok3';

/** 64 KiB: an mp3's ID3v2 header and first frames, or an MP4's atom headers, fit in one block. */
export const BLOCK_SIZE = 64 * 1024;
/** Tag parsers read the head and the tail of a file (ID3v1/APE/Lyrics3 footers); a few spare for the rest. */
export const MAX_BLOCKS = 4;

export interface BlockFileTokenizerOptions extends Omit<ITokenizerOptions, 'fileInfo'> {
  /** Bytes per block. @default BLOCK_SIZE */
  blockSize?: number;
  /** Blocks kept, least recently used dropped first. @default MAX_BLOCKS */
  maxBlocks?: number;
}

/**
 * strtok3's FileTokenizer with a small cache of aligned blocks. FileTokenizer issues one
 * `fileHandle.read` per token — about 28 for a small mp3, each a thread-pool round trip — where a
 * tag parser only ever looks at a few KiB at the head and the tail. Here a request is served from
 * cached blocks, read whole on first use; a request of a block or more goes to the file directly,
 * so a big ID3 tag neither evicts the head nor is copied twice, and nothing reads the whole file.
 *
 * Semantics are FileTokenizer's: a short read only stops at a zero-byte read (EOF), `mayBeLess`
 * allows a short result, otherwise EndOfStreamError; `readBuffer` moves the position by what it
 * copied, `peekBuffer` never does. The one difference: a block is read once per tokenizer, so a
 * file growing while it is parsed is seen as it was (a parse takes milliseconds; tags are not
 * written under it).
 */
export class BlockFileTokenizer extends FileTokenizer {
  /** Opens `file` for a parse; the caller closes the tokenizer. Bad options or an aborted signal close the file and throw. */
  static async open(file: string, options: BlockFileTokenizerOptions = {}): Promise<BlockFileTokenizer> {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      return new BlockFileTokenizer(handle, { ...options, fileInfo: { path: file, size } });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  readonly #handle: FileHandle;
  readonly #blockSize: number;
  readonly #maxBlocks: number;
  /** Block index → block; a Map keeps insertion order, so the first key is the least recently used. */
  readonly #blocks = new Map<number, Block>();

  private constructor(
    handle: FileHandle,
    options: BlockFileTokenizerOptions & { fileInfo: { path: string; size: number } },
  ) {
    const { blockSize = BLOCK_SIZE, maxBlocks = MAX_BLOCKS, ...tokenizerOptions } = options;
    if (!Number.isSafeInteger(blockSize) || blockSize <= 0)
      throw new RangeError('blockSize must be positive');
    if (!Number.isSafeInteger(maxBlocks) || maxBlocks <= 0)
      throw new RangeError('maxBlocks must be positive');
    super(handle, tokenizerOptions);
    this.#handle = handle;
    this.#blockSize = blockSize;
    this.#maxBlocks = maxBlocks;
  }

  override async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const { length, position, mayBeLess } = this.normalizeOptions(target, options);
    this.position = position;
    const copied = await this.#fill(target, position, length, true);
    if (!mayBeLess && copied < length) throw new EndOfStreamError();
    return copied;
  }

  override async peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const { length, position, mayBeLess } = this.normalizeOptions(target, options);
    const copied = await this.#fill(target, position, length, false);
    if (!mayBeLess && copied < length) throw new EndOfStreamError();
    return copied;
  }

  protected override async closeOnce(): Promise<void> {
    this.#blocks.clear();
    await super.closeOnce();
  }

  /** Copies up to `length` bytes from `position` into `target`; fewer only at EOF. */
  async #fill(target: Uint8Array, position: number, length: number, advance: boolean): Promise<number> {
    if (length >= this.#blockSize) return this.#readDirect(target, position, length, advance);
    let copied = 0;
    while (copied < length) {
      const at = position + copied;
      const index = Math.floor(at / this.#blockSize);
      const offset = at - index * this.#blockSize;
      const block = await this.#block(index, Math.min(this.#blockSize, offset + length - copied));
      // Past what the block holds: only a zero-byte read (EOF) leaves it short.
      if (offset >= block.filled) break;
      const n = Math.min(block.filled - offset, length - copied);
      target.set(block.bytes.subarray(offset, offset + n), copied);
      copied += n;
      if (advance) this.position += n;
    }
    return copied;
  }

  /** FileTokenizer's own loop, for requests too big to be worth caching. */
  async #readDirect(target: Uint8Array, position: number, length: number, advance: boolean): Promise<number> {
    let copied = 0;
    while (copied < length) {
      const { bytesRead } = await this.#handle.read(target, copied, length - copied, position + copied);
      if (bytesRead === 0) break;
      copied += bytesRead;
      if (advance) this.position += bytesRead;
    }
    return copied;
  }

  /** Block `index` holding its first `need` bytes, or fewer when EOF came first. */
  async #block(index: number, need: number): Promise<Block> {
    let block = this.#blocks.get(index);
    // Most recently used goes last; the least recently used is dropped.
    if (block) this.#blocks.delete(index);
    else block = { bytes: Buffer.allocUnsafe(this.#blockSize), filled: 0, eof: false };
    this.#blocks.set(index, block);
    if (this.#blocks.size > this.#maxBlocks) this.#blocks.delete(this.#blocks.keys().next().value as number);
    while (block.filled < need && !block.eof) {
      block.loading ??= this.#readMore(index, block).finally(() => {
        block.loading = undefined;
      });
      await block.loading;
    }
    return block;
  }

  /**
   * One read for the rest of the block. A short read is kept without asking again at once: the
   * tail block of a file is short, and the zero-byte read proving EOF is only made when a request
   * wants bytes past it (tag footers sit before the end).
   */
  async #readMore(index: number, block: Block): Promise<void> {
    const start = index * this.#blockSize + block.filled;
    const { bytesRead } = await this.#handle.read(
      block.bytes,
      block.filled,
      this.#blockSize - block.filled,
      start,
    );
    if (bytesRead === 0) block.eof = true;
    else block.filled += bytesRead;
  }
}

/** One cached block: `bytes` is a whole block's room, of which `filled` were read. */
interface Block {
  bytes: Buffer;
  filled: number;
  /** A zero-byte read at `filled`: the file ends there. */
  eof: boolean;
  /** The read in flight, shared by concurrent requests. */
  loading?: Promise<void> | undefined;
}
