/**
 * A "tag bag" is every tag of one audio file under the lower-case key ffprobe would show
 * (`album`, `artist`, `composer`, `series`, `asin`, …), whichever parser read it. One mapping
 * (tags-map.ts) then applies ABS's tag→field rules to both music-metadata and ffprobe output.
 */
export type TagBag = Record<string, string[]>;

/** music-metadata native ids (MP4 atoms, ID3v2 frames) → ffprobe-style keys. */
const NATIVE_KEYS: Record<string, string> = {
  '©nam': 'title',
  '©alb': 'album',
  '©ART': 'artist',
  aART: 'album_artist',
  '©wrt': 'composer',
  '©nrt': 'narrator',
  '©day': 'date',
  rldt: 'releasedate',
  '©gen': 'genre',
  gnre: 'genre',
  desc: 'description',
  ldes: 'longdescription',
  '©cmt': 'comment',
  '©grp': 'grouping',
  '©mvn': 'mvnm',
  '©mvi': 'mvin',
  cprt: 'copyright',
  '©pub': 'publisher',
  TIT2: 'title',
  TT2: 'title',
  TALB: 'album',
  TAL: 'album',
  TPE1: 'artist',
  TP1: 'artist',
  TPE2: 'album_artist',
  TP2: 'album_artist',
  TCOM: 'composer',
  TCM: 'composer',
  TPUB: 'publisher',
  TPB: 'publisher',
  TYER: 'date',
  TYE: 'date',
  TDRC: 'date',
  TDRL: 'releasedate',
  TCON: 'genre',
  TCO: 'genre',
  COMM: 'comment',
  COM: 'comment',
  TIT3: 'subtitle',
  TT3: 'subtitle',
  TIT1: 'grouping',
  GRP1: 'grouping',
  MVNM: 'mvnm',
  MVIN: 'mvin',
  TLAN: 'language',
  TCOP: 'copyright',
  ALBUMARTIST: 'album_artist',
  'ALBUM ARTIST': 'album_artist',
  ORGANIZATION: 'publisher',
  LABEL: 'publisher',
};

/** Freeform keys: `----:com.apple.iTunes:ASIN`, `TXXX:AUDIBLE_ASIN`, `----:com.pilabor.tone:SERIES`. */
function keyOf(id: string): string {
  const mapped = NATIVE_KEYS[id];
  if (mapped) return mapped;
  let key = id;
  if (key.startsWith('TXXX:')) key = key.slice(5);
  if (key.startsWith('----:')) key = key.slice(key.lastIndexOf(':') + 1);
  key = key.toLowerCase().trim();
  return key === 'albumartist' ? 'album_artist' : key;
}

/** Text of a native tag value: strings, numbers, `{text}` (COMM), `{no}` (MVIN); pictures are skipped. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value && typeof value === 'object') {
    const v = value as { text?: unknown; no?: unknown; data?: unknown };
    if (v.data !== undefined) return undefined;
    if (typeof v.text === 'string') return v.text.trim() || undefined;
    if (typeof v.no === 'number') return String(v.no);
  }
  return undefined;
}

function add(bag: TagBag, key: string, value: string | undefined): void {
  if (!value || !key) return;
  const list = bag[key] ?? [];
  if (!list.includes(value)) list.push(value);
  bag[key] = list;
}

/** Builds a bag from music-metadata's `native` (all tag formats it found in the file). */
export function bagFromNative(native: Record<string, { id: string; value: unknown }[]> | undefined): TagBag {
  const bag: TagBag = {};
  for (const tags of Object.values(native ?? {})) {
    for (const tag of tags) {
      const values = Array.isArray(tag.value) ? tag.value : [tag.value];
      for (const value of values) add(bag, keyOf(tag.id), textOf(value));
    }
  }
  return bag;
}

/** Builds a bag from ffprobe's `format.tags` (keys are case-insensitive there). */
export function bagFromFfprobe(tags: Record<string, unknown> | undefined): TagBag {
  const bag: TagBag = {};
  for (const [key, value] of Object.entries(tags ?? {})) add(bag, keyOf(key), textOf(value));
  return bag;
}

/** First non-empty value among the keys, in order (ABS: "first non-empty wins"). */
export function firstOf(bag: TagBag, ...keys: string[]): { key: string; value: string } | undefined {
  for (const key of keys) {
    const value = bag[key]?.find((v) => v.trim());
    if (value) return { key, value: value.trim() };
  }
  return undefined;
}
