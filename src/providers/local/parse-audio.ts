import {
  CouldNotDetermineFileTypeError,
  type IAudioMetadata,
  type IOptions,
  parseFromTokenizer,
  UnsupportedFileTypeError,
} from 'music-metadata';
import { BlockFileTokenizer } from '../../fs/block-file-tokenizer.js';

/**
 * music-metadata's `parseFile` over a block-caching tokenizer: a few reads per file instead of
 * one per token. The parser is chosen as `parseFile` chooses it — `fileInfo.path` gives the
 * extension, then the content is sniffed; `parseFile` sets no MIME type, so none is set here —
 * and its errors read the same.
 */
export async function parseAudioFile(file: string, options: IOptions): Promise<IAudioMetadata> {
  const tokenizer = await BlockFileTokenizer.open(file);
  try {
    return await parseFromTokenizer(tokenizer, options);
  } catch (error) {
    if (error instanceof CouldNotDetermineFileTypeError || error instanceof UnsupportedFileTypeError) {
      error.message += `: ${file}`;
    }
    throw error;
  } finally {
    await tokenizer.close();
  }
}
