import type { PartialMetadata } from '../domain/metadata.js';

/** Options for safeFileName. */
export interface SafeFileNameOptions {
  /** Longest allowed name in UTF-8 bytes, extension included (most file systems allow 255). @default 200 */
  maxBytes?: number;
  /** Used when nothing printable is left. @default 'untitled' */
  fallback?: string;
}

const ch = (code: number) => String.fromCharCode(code);
// Control characters (C0, DEL, C1) — built from code points so none sits in the source.
const CONTROL = new RegExp(`[${ch(0)}-${ch(0x1f)}${ch(0x7f)}-${ch(0x9f)}]`, 'g');
/** Path separators and characters Windows (and SMB shares) reserve. */
const RESERVED = /[/\\<>:"|?*]/g;
/** Bidi embeddings/overrides/isolates: they can disguise a name ("evil‮txt.exe"); RTL letters stay. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character or a grapheme cluster. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = encoder.encode(segment).length;
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}

function cleanStem(stem: string): string {
  return (
    stem
      .normalize('NFC')
      // Tabs and line breaks become spaces before the remaining control characters are dropped.
      .replace(/\s+/g, ' ')
      .replace(CONTROL, '')
      .replace(BIDI_CONTROLS, '')
      .replace(RESERVED, '_')
      .trim()
      .replace(/^\.+/, '')
      .replace(/[. ]+$/, '')
  );
}

/**
 * Turns text derived from metadata (a title, an ASIN) into one safe file name: no path separators or
 * `..`, no control, bidi-control or Windows-reserved characters, no reserved device names (CON, NUL…),
 * no trailing dots or spaces, at most `maxBytes` UTF-8 bytes. The extension (with its dot) is kept whole.
 * @example safeFileName('../../etc/passwd', '.opf') // '_.._etc_passwd.opf'
 */
export function safeFileName(stem: string, extension = '', opts: SafeFileNameOptions = {}): string {
  const maxBytes = opts.maxBytes ?? 200;
  const ext = cleanStem(extension).replace(/^([^.])/, '.$1');
  const extPart = ext === '.' ? '' : ext;
  let base = truncateUtf8(cleanStem(stem), Math.max(1, maxBytes - encoder.encode(extPart).length));
  base = base.replace(/[. ]+$/, '');
  if (!base) base = opts.fallback ?? 'untitled';
  if (WINDOWS_RESERVED.test(base) || WINDOWS_RESERVED.test(`${base}${extPart}`)) base = `_${base}`;
  return `${base}${extPart}`;
}

/** Placeholders a file name template may use. */
const TOKENS: Record<string, (m: PartialMetadata) => string | undefined> = {
  title: (m) => m.title,
  asin: (m) => m.asin,
  isbn: (m) => m.isbn,
  author: (m) => m.authors?.[0]?.name,
  series: (m) => m.series?.[0]?.name,
  sequence: (m) => m.series?.[0]?.sequence ?? undefined,
};

/**
 * Fills a file name template such as `{asin}.opf` or `{author} - {title}.nfo` and sanitises the result.
 * When a placeholder has no value (no ASIN) or is unknown, `fallbackName` is used instead, so a
 * template never produces `.opf` or `undefined.opf`.
 */
export function fileNameFromTemplate(
  template: string,
  metadata: PartialMetadata,
  fallbackName: string,
): string {
  let missing = false;
  const filled = template.replace(/\{(\w+)\}/g, (_m, token: string) => {
    const value = TOKENS[token]?.(metadata)?.trim();
    if (!value) missing = true;
    return value ?? '';
  });
  const name = missing ? fallbackName : filled;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? safeFileName(name.slice(0, dot), name.slice(dot)) : safeFileName(name);
}
