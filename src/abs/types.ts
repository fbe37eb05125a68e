import type {
  AbsChapter,
  AbsItemsPage,
  AbsLibrary,
  AbsLibraryItem,
  AbsLoginResponse,
  AbsStatus,
} from './schemas.js';

/** The body of `PATCH /api/items/:id/media`, in the exact form ABS stores (see stored-form.ts). */
export interface AbsMediaPatch {
  metadata?: {
    title?: string | null;
    subtitle?: string | null;
    authors?: { name: string }[];
    narrators?: string[];
    series?: { name: string; sequence: string | null }[];
    genres?: string[];
    publishedYear?: string | null;
    publishedDate?: string | null;
    publisher?: string | null;
    description?: string | null;
    isbn?: string | null;
    asin?: string | null;
    language?: string | null;
    explicit?: boolean;
    abridged?: boolean;
  };
  /** TOP LEVEL: ABS ignores `metadata.tags`. */
  tags?: string[];
  /** Downloads this URL as the cover (through ABS's SSRF filter). */
  url?: string;
}

export interface PatchMediaResult {
  /** False when ABS reported a no-op (the `updated` key was absent). */
  updated: boolean;
  /** The item as ABS stored it (plain, not expanded): keep it as the "last written" snapshot. */
  libraryItem: AbsLibraryItem;
}

export interface ListItemsOptions {
  /** 0-based page. @default 0 */
  page?: number;
  /** @default 100 */
  limit?: number;
  /**
   * One of the sorts ABS 2.36 knows (`addedAt`, `mtimeMs`, `media.metadata.title`…). ABS ignores any
   * other key, `updatedAt` included, and answers in insertion order (docs/abs.md).
   */
  sort?: string;
  desc?: boolean;
  /** e.g. `issues` or `authors.<base64 id>` (see filterParam). */
  filter?: string;
}

export interface BatchUpdateEntry {
  id: string;
  mediaPayload: AbsMediaPatch;
}

/**
 * The ABS REST client. Every method validates the response with zod; "not found" is `null`,
 * failures throw AbsError / AuthError / TimeoutError (see src/abs/errors.ts).
 */
export interface AbsClient {
  /** The server URL including the base path, without a trailing slash. */
  readonly baseUrl: string;
  getStatus(): Promise<AbsStatus>;
  /** True when `GET /ping` answers. Never throws. */
  ping(): Promise<boolean>;
  getItem(id: string, opts?: { expanded?: boolean }): Promise<AbsLibraryItem | null>;
  /** Book libraries only. */
  listLibraries(): Promise<AbsLibrary[]>;
  /** One page; ABS always returns minified items here. */
  listLibraryItems(libraryId: string, opts?: ListItemsOptions): Promise<AbsItemsPage>;
  /** Every item of a library, page by page (`opts.page` is the first page). */
  iterateLibraryItems(libraryId: string, opts?: ListItemsOptions): AsyncGenerator<AbsLibraryItem>;
  patchMedia(id: string, body: AbsMediaPatch): Promise<PatchMediaResult>;
  /** `{updated:false}` when the chapters were identical. */
  updateChapters(
    id: string,
    chapters: Pick<AbsChapter, 'start' | 'end' | 'title'>[],
  ): Promise<{ updated: boolean }>;
  uploadCoverFromUrl(id: string, url: string): Promise<{ cover: string | null }>;
  setCoverPath(id: string, path: string): Promise<{ cover: string | null }>;
  deleteCover(id: string): Promise<void>;
  /** Returns how many items ABS changed. */
  batchUpdate(entries: BatchUpdateEntry[]): Promise<number>;
  /** Expanded items, in ABS's database order (index by id). */
  batchGet(ids: string[]): Promise<AbsLibraryItem[]>;
  /** The names a library already has (`/filterdata`), or null when the server has no such route. */
  getLibraryNames(libraryId: string): Promise<LibraryNames | null>;
  /** Every author, narrator and series of a library with its book count (for `tidy --report`). */
  getLibraryPeople(libraryId: string): Promise<Record<'authors' | 'narrators' | 'series', CountedName[]>>;
  /** `UPTODATE`, `UPDATED`, `REMOVED`, … */
  scanItem(id: string): Promise<string>;
  /** Login asking for refresh tokens (`x-return-tokens: true`). */
  login(username: string, password: string): Promise<AbsLoginResponse>;
  /** New access and refresh token; the old refresh token stays valid for 600 s. */
  refresh(refreshToken: string): Promise<AbsLoginResponse>;
}

/** A name in a library with how many books carry it (authors and series have ABS ids). */
export interface CountedName {
  id?: string;
  name: string;
  books: number;
}

/** Author, series and narrator names as a library holds them. */
export interface LibraryNames {
  authors: string[];
  series: string[];
  narrators: string[];
}
