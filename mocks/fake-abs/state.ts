import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { absSidecarJson, type FakeItem, toExpanded } from './model.js';
import { applyMediaPatch } from './patch.js';
import { type FakeLibrary, type FolderSpec, itemFromSpec } from './seed.js';

/** One HTTP request the fake answered (bodies kept for assertions; never real secrets). */
export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

export type Broadcast = (event: string, payload: unknown) => void;

export interface StateOptions {
  username: string;
  password: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshGraceSeconds: number;
  echoDelayMs: number;
  storeMetadataWithItem: boolean;
  /** Local directory standing for `/audiobooks`: ABS's metadata.json writes land there. */
  libraryRoot?: string;
  /** Watch libraryRoot for added/removed files like ABS's watcher. */
  watcher: boolean;
}

/**
 * Everything the fake ABS knows. It survives `restart()` like ABS's database does. All item
 * mutations go through here so events, author bookkeeping and sidecar echoes stay consistent.
 */
export class FakeAbsState {
  readonly jwtSecret = randomBytes(32).toString('hex');
  readonly user = { id: randomUUID(), username: 'root', type: 'root' as const, legacyToken: '' };
  readonly libraries = new Map<string, FakeLibrary>();
  readonly items = new Map<string, FakeItem>();
  readonly apiKeys = new Map<
    string,
    { id: string; name: string; isActive: boolean; expiresAt: number | null }
  >();
  /** Refresh tokens; a rotated one stays valid until `graceUntil`. */
  readonly refreshTokens = new Map<string, { graceUntil?: number }>();
  readonly loginTimes: number[] = [];
  readonly requestLog: RequestLogEntry[] = [];
  readonly itemFolderSidecars = new Set<string>();
  readonly pendingTimers = new Set<NodeJS.Timeout>();
  patchRequests = 0;
  effectivePatches = 0;
  broadcast: Broadcast = () => {};
  private readonly authors = new Map<string, { id: string; name: string; libraryId: string }>();
  private readonly series = new Map<string, { id: string; name: string }>();

  constructor(readonly opts: StateOptions) {}

  authorId(name: string, libraryId: string): string {
    const key = `${libraryId}:${name.trim().toLowerCase()}`;
    const found = this.authors.get(key);
    if (found) return found.id;
    const now = Date.now();
    const author = { id: randomUUID(), name: name.trim(), libraryId };
    this.authors.set(key, author);
    this.broadcast('author_added', { ...author, addedAt: now, updatedAt: now });
    return author.id;
  }

  seriesId(name: string, libraryId: string): string {
    const key = `${libraryId}:${name.trim().toLowerCase()}`;
    const found = this.series.get(key) ?? { id: randomUUID(), name: name.trim() };
    this.series.set(key, found);
    return found.id;
  }

  /** Registers a recorded item's existing author/series ids so later PATCHes reuse them. */
  adopt(item: FakeItem): void {
    for (const a of item.media.metadata.authors) {
      this.authors.set(`${item.libraryId}:${a.name.toLowerCase()}`, { ...a, libraryId: item.libraryId });
    }
    for (const s of item.media.metadata.series)
      this.series.set(`${item.libraryId}:${s.name.toLowerCase()}`, s);
    this.items.set(item.id, item);
  }

  newItem(spec: FolderSpec, library: FakeLibrary): FakeItem {
    const item = itemFromSpec(
      spec,
      library,
      (n) => this.authorId(n, library.id),
      (n) => this.seriesId(n, library.id),
    );
    this.items.set(item.id, item);
    return item;
  }

  /** Applies a media PATCH body; on an effective change: event, sidecar, echo. */
  patchMedia(item: FakeItem, body: Record<string, unknown>): boolean {
    const ids = {
      authorId: (n: string) => this.authorId(n, item.libraryId),
      seriesId: (n: string) => this.seriesId(n, item.libraryId),
    };
    const before = item.media.metadata.authors.map((a) => a.id);
    const changed = applyMediaPatch(item, body, ids);
    const kept = new Set(item.media.metadata.authors.map((a) => a.id));
    if (changed)
      this.afterChange(
        item,
        before.filter((id) => !kept.has(id)),
      );
    return changed;
  }

  /** ABS's bookkeeping after an effective change of one item. */
  afterChange(item: FakeItem, removedAuthorIds: string[] = []): void {
    item.updatedAt = Date.now();
    this.effectivePatches++;
    if (removedAuthorIds.length) this.dropOrphanAuthors(item.libraryId, new Set(removedAuthorIds));
    this.broadcast('item_updated', toExpanded(item));
    this.saveMetadataFile(item);
  }

  /** Emits item_updated for the current state (watcher scan, echo, a person's edit). */
  emitUpdated(item: FakeItem): void {
    this.broadcast('item_updated', toExpanded(item));
  }

  /** An author that lost its last book is deleted (`author_removed`); a re-add gets a new id. */
  private dropOrphanAuthors(libraryId: string, candidates: Set<string>): void {
    const used = new Set<string>();
    for (const it of this.items.values()) for (const a of it.media.metadata.authors) used.add(a.id);
    for (const [key, author] of this.authors) {
      if (author.libraryId === libraryId && candidates.has(author.id) && !used.has(author.id)) {
        this.authors.delete(key);
        this.broadcast('author_removed', { id: author.id, libraryId });
      }
    }
  }

  /**
   * ABS rewrites metadata.json after every effective change. With storeMetadataWithItem the
   * first write into an item folder is a NEW file, which the watcher reports ~12 s later as a
   * second item_updated (the "first-creation echo"); later writes are in place and silent.
   */
  private saveMetadataFile(item: FakeItem): void {
    if (!this.opts.storeMetadataWithItem) return;
    // With a real folder the watcher sees the new file and produces the echo itself.
    if (this.writeSidecarToDisk(item) && this.opts.watcher) return;
    if (this.itemFolderSidecars.has(item.id)) return;
    this.itemFolderSidecars.add(item.id);
    this.later(this.opts.echoDelayMs, () => {
      const current = this.items.get(item.id);
      if (current) this.emitUpdated(current);
    });
  }

  /** Writes in place (same inode once the file exists), as ABS does. True when written. */
  private writeSidecarToDisk(item: FakeItem): boolean {
    const root = this.opts.libraryRoot;
    if (!root || !item.path.startsWith('/audiobooks/')) return false;
    const dir = join(root, item.path.slice('/audiobooks/'.length));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'metadata.json'), absSidecarJson(item));
    return true;
  }

  /** A timer that `stop()` cancels. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      fn();
    }, ms);
    this.pendingTimers.add(timer);
  }

  clearTimers(): void {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
  }
}
