import { existsSync, type FSWatcher, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FakeItem } from './model.js';
import type { FakeAbsState } from './state.js';

/**
 * ABS's folder watcher (`server/Watcher.js`) over `libraryRoot`: it reacts only to files ADDED
 * or REMOVED in an item folder (in-place writes and rename-over of an existing file are
 * ignored) and, after its debounce (~12 s in ABS, `echoDelayMs` here), runs a watcher scan
 * that emits one `item_updated`. This is what makes a sidecar the bridge creates echo back.
 */
export function startWatcher(state: FakeAbsState, root: string): () => void {
  const known = new Set<string>(listFiles(root));
  /** Per item: the files touched in this debounce window and whether each existed before it. */
  const pending = new Map<string, { timer: NodeJS.Timeout; before: Map<string, boolean> }>();
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  let watcher: FSWatcher;
  try {
    watcher = watch(root, { recursive: true }, (_event, name) => {
      if (!name) return;
      const full = join(root, name.toString());
      const item = itemFor(state, root, full);
      if (!item) return;
      const window = pending.get(item.id) ?? open(item.id);
      if (!window.before.has(full)) window.before.set(full, known.has(full));
      if (isFile(full)) known.add(full);
      else known.delete(full);
    });
  } catch {
    return () => {};
  }
  function open(itemId: string) {
    const window = {
      before: new Map<string, boolean>(),
      timer: setTimeout(() => {
        pending.delete(itemId);
        // Net effect only: a temp file renamed over an existing one, an in-place write, or a
        // delete-and-recreate inside the window changes nothing, as recorded from ABS.
        const changed = [...window.before].some(([path, existed]) => isFile(path) !== existed);
        const item = state.items.get(itemId);
        if (changed && item) state.emitUpdated(item);
      }, state.opts.echoDelayMs),
    };
    pending.set(itemId, window);
    return window;
  }
  return () => {
    watcher.close();
    for (const w of pending.values()) clearTimeout(w.timer);
    pending.clear();
  };
}

/** The local folder of an item under `libraryRoot` (`/audiobooks/...` → `<root>/...`). */
export function localFolder(root: string, item: FakeItem): string | undefined {
  if (!item.path.startsWith('/audiobooks/')) return undefined;
  return join(root, ...item.path.slice('/audiobooks/'.length).split('/'));
}

function itemFor(state: FakeAbsState, root: string, file: string): FakeItem | undefined {
  let best: FakeItem | undefined;
  let bestLen = -1;
  for (const item of state.items.values()) {
    const folder = localFolder(root, item);
    if (!folder) continue;
    const rel = relative(folder, file);
    if (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '' && folder.length > bestLen) {
      best = item;
      bestLen = folder.length;
    }
  }
  return best;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath ?? dir, d.name));
  } catch {
    return [];
  }
}

/** Reads an item folder's metadata.json the way AbsMetadataFileScanner does (null/empty values skipped). */
export function readItemSidecar(root: string, item: FakeItem): Record<string, unknown> | undefined {
  const folder = localFolder(root, item);
  if (!folder) return undefined;
  try {
    return JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
