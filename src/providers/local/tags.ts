import path from 'node:path';
import type { LookupContext } from '../../domain/lookup.js';
import type { Chapter } from '../../domain/metadata.js';
import { emptyResult, type ProviderResult } from '../../domain/provider-result.js';
import type { AsyncProvider } from '../types.js';
import { type AudioFileInfo, type ReadState, readAudioFile } from './audio-read.js';
import { BOOK_FIELDS, defineLocalProvider, localCapabilities, localOptions } from './define.js';
import { itemFilesOf } from './files.js';
import { LocalResultBuilder } from './result.js';
import { mapTagBag } from './tags-map.js';

export const TAGS_PROVIDER_ID = 'local-tags';

/** Embedded audio tags of every audio file (music-metadata; ffprobe for chapters it misses). */
export const tagsDefinition = defineLocalProvider({
  id: TAGS_PROVIDER_ID,
  description: 'Embedded audio tags of every audio file (music-metadata; ffprobe for chapters it misses)',
  optionsSchema: localOptions(0.8, {}),
  create: (options, context) =>
    createTagsProvider({ weight: options.weight, ffprobePath: context.ffprobePath ?? 'ffprobe' }),
});

/** More audio files than this is not one book; the rest are not read. */
const MAX_AUDIO_FILES = 1000;
const CONCURRENCY = 4;

export interface TagsProviderOptions {
  weight: number;
  /** ffprobe binary for chapters music-metadata cannot read; empty disables it. */
  ffprobePath: string;
}

/**
 * Reads embedded tags of every audio file of the item (music-metadata, ffprobe as the second
 * reader): book fields from the first file that has them, duration summed over all files,
 * chapters from the container or one per file.
 */
export function createTagsProvider(options: TagsProviderOptions): AsyncProvider {
  return {
    id: TAGS_PROVIDER_ID,
    kind: 'local',
    mode: 'async',
    weight: options.weight,
    timeoutMs: 120_000,
    capabilities: localCapabilities(['search'], [...BOOK_FIELDS, 'durationSeconds', 'chapters']),
    async lookup(ctx, { signal }) {
      return readTags(ctx, { ffprobePath: options.ffprobePath, signal });
    },
  };
}

async function readTags(ctx: LookupContext, state: ReadState): Promise<ProviderResult> {
  state.signal?.throwIfAborted();
  const listing = await itemFilesOf(ctx);
  if (!listing) return emptyResult(TAGS_PROVIDER_ID);
  const notes = [...listing.notes];
  if (!listing.audio.length) return emptyResult(TAGS_PROVIDER_ID, undefined, notes);
  const audio = listing.audio.slice(0, MAX_AUDIO_FILES);
  if (listing.audio.length > MAX_AUDIO_FILES)
    notes.push(`${listing.root}: only the first ${MAX_AUDIO_FILES} audio files were read`);
  const infos = await mapLimit(audio, CONCURRENCY, (f) => readAudioFile(f.abs, state), state.signal);
  // Aborted part-way: some files were never read, so whatever was read is not the book's answer.
  state.signal?.throwIfAborted();
  const builder = new LocalResultBuilder(TAGS_PROVIDER_ID);
  for (const note of notes) builder.note(note);
  for (const info of infos) {
    for (const note of info.notes) builder.note(note);
    if (info.readable && info.durationSeconds === undefined && !Object.keys(info.bag).length) {
      builder.note(`${info.file}: no tags and no audio found (empty or not an audio file?)`);
    }
  }
  const readable = infos.filter((i) => i.readable);
  for (const info of readable) {
    for (const tag of mapTagBag(info.bag)) {
      builder.set(tag.field, tag.value, {
        confidence: tag.confidence,
        source: `${info.file} (tag ${tag.key})`,
        raw: tag.raw,
      });
    }
  }
  warnOnDisagreement(readable, builder);
  setDuration(infos, listing.root, builder);
  setChapters(infos, listing.root, builder);
  const f = builder.fields;
  const match = f.asin ? 0.9 : f.isbn ? 0.85 : f.title && f.authors ? 0.75 : f.title ? 0.6 : 0.4;
  return builder.build(match, f.asin ? 'asin' : f.isbn ? 'isbn' : 'search');
}

/** Two files naming different ASINs means the folder mixes books: say so. */
function warnOnDisagreement(infos: AudioFileInfo[], builder: LocalResultBuilder): void {
  const asins = new Set(
    infos.flatMap((i) =>
      mapTagBag(i.bag)
        .filter((t) => t.field === 'asin')
        .map((t) => String(t.value)),
    ),
  );
  if (asins.size > 1)
    builder.note(`audio files disagree on the ASIN (${[...asins].join(', ')}); the first file's is used`);
}

function setDuration(infos: AudioFileInfo[], root: string, builder: LocalResultBuilder): void {
  const unknown = infos.filter((i) => i.durationSeconds === undefined);
  if (unknown.length) {
    builder.note(
      `duration unknown for ${unknown.length} file(s), e.g. ${unknown[0]!.file}; total duration not set`,
    );
    return;
  }
  const total = infos.reduce((sum, i) => sum + (i.durationSeconds ?? 0), 0);
  const source = infos.length === 1 ? infos[0]!.file : `${root} (${infos.length} audio files)`;
  builder.set('durationSeconds', round(total), { confidence: 1, source });
}

/**
 * One file: its chapters. Several files: their chapters shifted by the running offset when every
 * file has its own, else one chapter per file (titled by its title tag when unique, else its name).
 */
function setChapters(infos: AudioFileInfo[], root: string, builder: LocalResultBuilder): void {
  if (infos.length === 1) {
    const only = infos[0]!;
    builder.set('chapters', only.chapters, {
      confidence: 0.9,
      source: `${only.file} (${only.chapterSource ?? 'none'})`,
    });
    return;
  }
  if (infos.some((i) => i.durationSeconds === undefined)) return;
  const titles = infos.map((i) => i.bag.title?.[0]);
  const uniqueTitles = new Set(titles).size === titles.length && titles.every(Boolean);
  const chapters: Chapter[] = [];
  let offset = 0;
  const allHaveChapters = infos.every((i) => i.chapters.length > 1);
  for (const [index, info] of infos.entries()) {
    const duration = info.durationSeconds ?? 0;
    if (allHaveChapters) {
      for (const c of info.chapters)
        chapters.push({ start: round(offset + c.start), end: round(offset + c.end), title: c.title });
    } else {
      const title = uniqueTitles ? titles[index]! : path.parse(info.file).name;
      chapters.push({ start: round(offset), end: round(offset + duration), title });
    }
    offset += duration;
  }
  const how = allHaveChapters ? 'embedded chapters of each file' : 'one chapter per file';
  builder.set('chapters', chapters, {
    confidence: allHaveChapters ? 0.85 : 0.6,
    source: `${root} (${infos.length} audio files, ${how})`,
  });
}

/** Maps with at most `limit` calls in flight, in input order; stops starting new ones once aborted. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results.filter((r) => r !== undefined);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
