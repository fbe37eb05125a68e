import { z } from 'zod';

/**
 * zod schemas for what ABS 2.36 sends. They are deliberately loose (`looseObject`): ABS adds
 * keys between versions and the bridge must not break on them; only the keys the bridge reads
 * are declared. Shapes come from the recorded fixtures (see docs/abs.md).
 */

const nullableString = z.string().nullable().optional();

export const AbsAuthorSchema = z.looseObject({ id: z.string().optional(), name: z.string() });
export const AbsSeriesSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  sequence: z.string().nullable().optional(),
});

/** `media.metadata` of a plain or expanded item (authors/series as arrays). */
export const AbsBookMetadataSchema = z.looseObject({
  title: nullableString,
  subtitle: nullableString,
  authors: z.array(AbsAuthorSchema).optional(),
  narrators: z.array(z.string()).optional(),
  series: z.array(AbsSeriesSchema).optional(),
  genres: z.array(z.string()).optional(),
  publishedYear: nullableString,
  publishedDate: nullableString,
  publisher: nullableString,
  description: nullableString,
  isbn: nullableString,
  asin: nullableString,
  language: nullableString,
  explicit: z.boolean().optional(),
  abridged: z.boolean().optional(),
  /** Derived, expanded and minified only. */
  authorName: nullableString,
  narratorName: nullableString,
  seriesName: nullableString,
  descriptionPlain: nullableString,
});
export type AbsBookMetadata = z.infer<typeof AbsBookMetadataSchema>;

export const AbsChapterSchema = z.looseObject({
  id: z.number().optional(),
  start: z.number(),
  end: z.number(),
  title: z.string(),
});
export type AbsChapter = z.infer<typeof AbsChapterSchema>;

const AbsFileMetaSchema = z.looseObject({
  filename: z.string(),
  ext: z.string().optional(),
  path: z.string(),
  relPath: z.string().optional(),
  size: z.number().optional(),
});

export const AbsAudioFileSchema = z.looseObject({
  index: z.number().optional(),
  ino: z.string().optional(),
  metadata: AbsFileMetaSchema,
  duration: z.number().nullable().optional(),
  chapters: z.array(AbsChapterSchema).optional(),
  exclude: z.boolean().optional(),
});

export const AbsLibraryFileSchema = z.looseObject({
  ino: z.string().optional(),
  metadata: AbsFileMetaSchema,
  fileType: z.string().optional(),
});

export const AbsBookMediaSchema = z.looseObject({
  id: z.string().optional(),
  metadata: AbsBookMetadataSchema,
  coverPath: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  chapters: z.array(AbsChapterSchema).optional(),
  audioFiles: z.array(AbsAudioFileSchema).optional(),
  /** Expanded and minified only. */
  duration: z.number().optional(),
  numChapters: z.number().optional(),
  numAudioFiles: z.number().optional(),
  ebookFile: z.unknown().optional(),
});
export type AbsBookMedia = z.infer<typeof AbsBookMediaSchema>;

/** A library item: plain (`GET /api/items/:id`), expanded (`?expanded=1`, socket payloads) or minified (listings). */
export const AbsLibraryItemSchema = z.looseObject({
  id: z.string(),
  ino: z.string().optional(),
  libraryId: z.string(),
  folderId: z.string().optional(),
  path: z.string(),
  relPath: z.string().optional(),
  isFile: z.boolean().optional(),
  mtimeMs: z.number().optional(),
  addedAt: z.number().optional(),
  updatedAt: z.number().optional(),
  isMissing: z.boolean().default(false),
  isInvalid: z.boolean().default(false),
  mediaType: z.string(),
  media: AbsBookMediaSchema,
  libraryFiles: z.array(AbsLibraryFileSchema).optional(),
  numFiles: z.number().optional(),
  size: z.number().optional(),
});
export type AbsLibraryItem = z.infer<typeof AbsLibraryItemSchema>;

export const AbsLibrarySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  mediaType: z.string(),
  folders: z.array(z.looseObject({ id: z.string().optional(), fullPath: z.string() })).default([]),
  provider: z.string().optional(),
  settings: z.looseObject({ metadataPrecedence: z.array(z.string()).optional() }).optional(),
});
export type AbsLibrary = z.infer<typeof AbsLibrarySchema>;

export const LibrariesResponseSchema = z.object({ libraries: z.array(AbsLibrarySchema) });

export const ItemsPageSchema = z.looseObject({
  results: z.array(AbsLibraryItemSchema),
  total: z.number(),
  limit: z.number(),
  page: z.number(),
});
export type AbsItemsPage = z.infer<typeof ItemsPageSchema>;

/** `PATCH /api/items/:id/media`: the `updated` key is ABSENT on a no-op. */
export const PatchMediaResponseSchema = z.looseObject({
  updated: z.boolean().optional(),
  libraryItem: AbsLibraryItemSchema,
});

export const ChaptersResponseSchema = z.looseObject({ success: z.boolean(), updated: z.boolean() });
export const CoverResponseSchema = z.looseObject({ success: z.boolean(), cover: z.string().nullable() });
export const BatchUpdateResponseSchema = z.looseObject({ success: z.boolean(), updates: z.number() });
export const BatchGetResponseSchema = z.object({ libraryItems: z.array(AbsLibraryItemSchema) });
export const ScanResponseSchema = z.looseObject({ result: z.string() });
/** `GET /api/libraries/:id/authors` and `/narrators`: names with their book counts. */
export const AuthorsResponseSchema = z.looseObject({
  authors: z.array(z.looseObject({ id: z.string(), name: z.string(), numBooks: z.number().optional() })),
});
export const NarratorsResponseSchema = z.looseObject({
  narrators: z.array(z.looseObject({ name: z.string(), numBooks: z.number().optional() })),
});
/** `GET /api/libraries/:id/series` (paged): each series with its books. */
export const SeriesPageSchema = z.looseObject({
  results: z.array(
    z.looseObject({ id: z.string(), name: z.string(), books: z.array(z.unknown()).optional() }),
  ),
  total: z.number(),
});
/** `GET /api/libraries/:id/filterdata`: every author, series and narrator name of a library at once. */
export const FilterDataSchema = z.looseObject({
  authors: z.array(z.looseObject({ name: z.string() })).default([]),
  series: z.array(z.looseObject({ name: z.string() })).default([]),
  narrators: z.array(z.string()).default([]),
});

export const LoginResponseSchema = z.looseObject({
  user: z.looseObject({
    id: z.string(),
    username: z.string(),
    type: z.string().optional(),
    token: z.string().nullable().optional(),
    accessToken: z.string().nullable().optional(),
    refreshToken: z.string().nullable().optional(),
  }),
  userDefaultLibraryId: z.string().nullable().optional(),
});
export type AbsLoginResponse = z.infer<typeof LoginResponseSchema>;

export const StatusResponseSchema = z.looseObject({
  app: z.string().optional(),
  serverVersion: z.string().optional(),
  isInit: z.boolean().optional(),
});
export type AbsStatus = z.infer<typeof StatusResponseSchema>;

/** Socket payloads. */
export const InitEventSchema = z.looseObject({ userId: z.string(), username: z.string() });
export const ItemRemovedEventSchema = z.looseObject({ id: z.string(), libraryId: z.string().optional() });
export const TaskEventSchema = z.looseObject({
  id: z.string(),
  action: z.string(),
  data: z
    .looseObject({ libraryId: z.string().optional(), libraryMediaType: z.string().optional() })
    .optional(),
  isFinished: z.boolean().optional(),
  isFailed: z.boolean().optional(),
});
export type AbsTaskEvent = z.infer<typeof TaskEventSchema>;
