import type { AbsBookMedia, AbsLibraryItem } from '../abs/schemas.js';
import type { AbsClient } from '../abs/types.js';
import type { SocketState } from './service/types.js';

/**
 * What the bridge needs from Audiobookshelf, as narrow ports over the REST client in
 * `src/abs/`. Tests hand in the real client pointed at the fake ABS; anything honouring these
 * shapes works.
 */

export type AbsItem = AbsLibraryItem;
export type AbsMedia = AbsBookMedia;

/** REST operations the bridge uses (a subset of the ABS client). */
export type BridgeAbs = Pick<
  AbsClient,
  | 'getItem'
  | 'listLibraries'
  | 'listLibraryItems'
  | 'patchMedia'
  | 'updateChapters'
  | 'uploadCoverFromUrl'
  | 'scanItem'
> &
  Partial<Pick<AbsClient, 'baseUrl' | 'ping' | 'batchGet' | 'getLibraryNames'>>;

/** Socket events the bridge reacts to, already validated by the listener. */
export interface BridgeListenerEvents {
  item_added: AbsItem;
  items_added: AbsItem[];
  item_updated: AbsItem;
  items_updated: AbsItem[];
  task_finished: { action?: string; libraryId?: string };
  /** Every (re)connection that authenticated: the bridge catches up. */
  ready: undefined;
  state: SocketState;
}

/** The socket side, as the bridge sees it (adapted from src/abs's listener in abs-adapter.ts). */
export interface BridgeListener {
  on<K extends keyof BridgeListenerEvents>(
    event: K,
    handler: (payload: BridgeListenerEvents[K]) => void,
  ): () => void;
  state(): SocketState;
  start(): Promise<void>;
  stop(): Promise<void>;
}
