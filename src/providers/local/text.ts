import { open } from 'node:fs/promises';
import { FileError } from '../../errors.js';

/** Sidecars bigger than this are read only up to it (a 2 GB "desc.txt" must not fill memory). */
export const MAX_SIDECAR_BYTES = 2 * 1024 * 1024;

export interface DecodedText {
  text: string;
  /** Which decoding was used: utf-8, utf-16le, utf-16be or windows-1252 (Latin-1 superset). */
  encoding: string;
  /** True when the file was longer than the cap and only its start was read. */
  truncated: boolean;
}

/**
 * Decodes bytes of unknown encoding: a BOM decides (UTF-8, UTF-16 LE/BE); without one, strict
 * UTF-8 is tried and Windows-1252 is the fallback, since old Windows tools wrote Latin-1 text.
 */
export function decodeText(bytes: Uint8Array): Omit<DecodedText, 'truncated'> {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Reads at most `maxBytes` of a file and decodes it; throws FileError naming the file. */
export async function readTextFile(file: string, maxBytes = MAX_SIDECAR_BYTES): Promise<DecodedText> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { ...decodeText(buffer.subarray(0, read)), truncated: size > maxBytes };
  } catch (cause) {
    throw new FileError('FILE_READ_FAILED', file, `cannot read (${(cause as Error).message})`, { cause });
  } finally {
    await handle?.close();
  }
}
