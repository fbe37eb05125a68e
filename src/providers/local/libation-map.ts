import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { cleanIsbn, normalizeAsin } from '../../domain/identifiers.js';
import type { Chapter, PartialMetadata } from '../../domain/metadata.js';
import { ValidationError } from '../../errors.js';
import { sequenceAsWritten } from '../../matching/normalize.js';
import {
  dedupe,
  isoDateOf,
  normalizeLanguage,
  splitGenres,
  splitPeople,
  stripAbridgement,
  yearOf,
} from './names.js';

/**
 * Pure mappers for Libation's files: the `<file>.metadata.json` sidecar (a raw Audible catalog
 * product plus `ChapterInfo`) and the library export (`libationcli export`, CSV or JSON).
 */

const Named = z.looseObject({ name: z.string().optional(), asin: z.string().optional() });
const ChapterNode: z.ZodType<{
  title?: string;
  start_offset_ms?: number;
  length_ms?: number;
  chapters?: unknown;
}> = z.looseObject({
  title: z.string().optional(),
  start_offset_ms: z.number().optional(),
  length_ms: z.number().optional(),
  chapters: z.unknown().optional(),
});

/** The parts of an Audible product Libation saves that we use; everything else is ignored. */
export const LibationProductSchema = z.looseObject({
  asin: z.string(),
  title: z.string().optional(),
  subtitle: z.string().nullish(),
  authors: z.array(Named).nullish(),
  narrators: z.array(Named).nullish(),
  series: z.array(z.looseObject({ title: z.string().optional(), sequence: z.string().nullish() })).nullish(),
  publisher_name: z.string().nullish(),
  publisher_summary: z.string().nullish(),
  merchandising_summary: z.string().nullish(),
  release_date: z.string().nullish(),
  issue_date: z.string().nullish(),
  copyright: z.string().nullish(),
  language: z.string().nullish(),
  isbn: z.string().nullish(),
  format_type: z.string().nullish(),
  is_adult_product: z.boolean().nullish(),
  runtime_length_min: z.number().nullish(),
  product_images: z.record(z.string(), z.string()).nullish(),
  category_ladders: z.array(z.looseObject({ ladder: z.array(Named) })).nullish(),
  ChapterInfo: z.looseObject({ chapters: z.array(ChapterNode).nullish() }).nullish(),
});
export type LibationProduct = z.infer<typeof LibationProductSchema>;

/** Maps a Libation `.metadata.json` product to canonical fields. Throws ValidationError on a wrong shape. */
export function mapLibationProduct(raw: unknown, source: string): PartialMetadata {
  const parsed = LibationProductSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const p = parsed.data;
  const names = (list: { name?: string | undefined }[] | null | undefined) =>
    dedupe((list ?? []).map((n) => n.name?.trim() ?? '').filter(Boolean));
  const images = p.product_images ?? {};
  const largest = Object.keys(images).sort((a, b) => Number(b) - Number(a))[0];
  const genres = dedupe(
    (p.category_ladders ?? []).flatMap((l) => l.ladder.map((n) => n.name ?? '')).filter(Boolean),
  );
  const out: PartialMetadata = {
    title: p.title ? stripAbridgement(p.title).title : undefined,
    subtitle: p.subtitle ?? undefined,
    authors: (p.authors ?? [])
      .filter((a) => a.name?.trim())
      .map((a) => ({
        name: a.name!.trim(),
        ...(normalizeAsin(a.asin) ? { asin: normalizeAsin(a.asin)! } : {}),
      })),
    narrators: names(p.narrators),
    series: (p.series ?? [])
      .filter((s) => s.title)
      .map((s) => ({ name: s.title!, sequence: sequenceAsWritten(s.sequence) })),
    genres,
    description: p.publisher_summary ?? p.merchandising_summary ?? undefined,
    publisher: p.publisher_name ?? undefined,
    // ABS keeps the audio release year; the copyright's first year is the original publication.
    publishedYear: yearOf(p.release_date ?? p.issue_date),
    publishedDate: isoDateOf(p.release_date ?? p.issue_date ?? undefined),
    language: normalizeLanguage(p.language),
    isbn: cleanIsbn(p.isbn),
    asin: normalizeAsin(p.asin),
    explicit: p.is_adult_product ?? undefined,
    abridged: p.format_type ? p.format_type.toLowerCase() === 'abridged' : undefined,
    durationSeconds: p.runtime_length_min ? p.runtime_length_min * 60 : undefined,
    chapters: libationChapters(p.ChapterInfo?.chapters ?? []),
    cover: largest && images[largest] ? { url: images[largest]! } : undefined,
  };
  return compact(out);
}

/** Flattens Audible's nested chapters (parts with sub-chapters) into ordered seconds. */
export function libationChapters(nodes: z.infer<typeof ChapterNode>[]): Chapter[] {
  const out: Chapter[] = [];
  const walk = (list: unknown[]) => {
    for (const item of list) {
      const node = ChapterNode.safeParse(item);
      if (!node.success || node.data.start_offset_ms === undefined) continue;
      const start = node.data.start_offset_ms / 1000;
      const end = start + (node.data.length_ms ?? 0) / 1000;
      out.push({ start, end, title: node.data.title?.trim() || `Chapter ${out.length + 1}` });
      if (Array.isArray(node.data.chapters)) walk(node.data.chapters);
    }
  };
  walk(nodes);
  return out.sort((a, b) => a.start - b.start);
}

/** One book of a Libation library export, in canonical form plus its join keys. */
export interface LibationExportBook {
  asin?: string;
  fields: PartialMetadata;
}

const ExportJsonSchema = z.array(z.record(z.string(), z.unknown()));

/** CSV header → JSON name, so both export formats map through one function. */
const CSV_TO_JSON: Record<string, string> = {
  'Audible Product Id': 'AudibleProductId',
  Title: 'Title',
  Subtitle: 'Subtitle',
  Authors: 'AuthorNames',
  Narrators: 'NarratorNames',
  'Length In Minutes': 'LengthInMinutes',
  Description: 'Description',
  Publisher: 'Publisher',
  'Series Names': 'SeriesNames',
  'Series Order': 'SeriesOrder',
  'Cover Id': 'PictureId',
  'Cover Id Large': 'PictureLarge',
  'Is Abridged?': 'IsAbridged',
  'Date Published': 'DatePublished',
  Categories: 'CategoriesNames',
  Language: 'Language',
};

/** Parses a Libation export (JSON array or CSV with headers). Throws ValidationError naming the file. */
export function parseLibationExport(text: string, source: string): LibationExportBook[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let rows: Record<string, unknown>[];
  try {
    if (trimmed.startsWith('[')) {
      rows = ExportJsonSchema.parse(JSON.parse(trimmed));
    } else {
      const records = parseCsv(trimmed, {
        columns: true,
        skip_empty_lines: true,
        relax_column_count: true,
      }) as Record<string, string>[];
      rows = records.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [CSV_TO_JSON[k] ?? k, v])),
      );
    }
  } catch (cause) {
    throw new ValidationError(source, [`not a Libation export: ${(cause as Error).message}`], { cause });
  }
  return rows.map(mapExportRow);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value).trim() || undefined
    : undefined;
}

/** Maps one export row; `SeriesOrder` is "1 : Harry Potter, 1 : Wizarding World Collection". */
export function mapExportRow(row: Record<string, unknown>): LibationExportBook {
  const asin = normalizeAsin(str(row.AudibleProductId));
  const minutes = Number(str(row.LengthInMinutes));
  const picture = str(row.PictureLarge) ?? str(row.PictureId);
  const abridged = str(row.IsAbridged)?.toLowerCase();
  const fields = compact({
    title: str(row.Title) ? stripAbridgement(str(row.Title)!).title : undefined,
    subtitle: str(row.Subtitle),
    authors: splitPeople(str(row.AuthorNames)).map((name) => ({ name })),
    narrators: splitPeople(str(row.NarratorNames)),
    series: exportSeries(str(row.SeriesOrder), str(row.SeriesNames)),
    genres: splitGenres(str(row.CategoriesNames)),
    description: str(row.Description),
    publisher: str(row.Publisher),
    publishedYear: yearOf(str(row.DatePublished)),
    publishedDate: isoDateOf(str(row.DatePublished)),
    language: normalizeLanguage(str(row.Language)),
    asin,
    abridged: abridged === 'true' ? true : abridged === 'false' ? false : undefined,
    durationSeconds: Number.isFinite(minutes) && minutes > 0 ? minutes * 60 : undefined,
    cover: picture ? { url: `https://images-na.ssl-images-amazon.com/images/I/${picture}.jpg` } : undefined,
  });
  return { ...(asin ? { asin } : {}), fields };
}

function exportSeries(order: string | undefined, names: string | undefined) {
  const fromOrder = (order ?? '')
    .split(/,\s*(?=-?[\d.]+\s*:)/)
    .map((part) => /^\s*(-?[\d.]+)\s*:\s*(.+?)\s*$/.exec(part))
    .filter((m): m is RegExpExecArray => Boolean(m?.[2]))
    .map((m) => ({ name: m[2]!, sequence: sequenceAsWritten(m[1]) }));
  if (fromOrder.length) return fromOrder;
  return names ? [{ name: names, sequence: null }] : [];
}

function compact(out: PartialMetadata): PartialMetadata {
  for (const key of Object.keys(out) as (keyof PartialMetadata)[]) {
    const value = out[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete out[key];
  }
  return out;
}
