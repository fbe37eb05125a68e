import type { Config } from '../../config/schema.js';
import type { Logger } from '../../logging.js';
import type { ProcessRequest } from '../pipeline/types.js';
import type { AbsItem, BridgeListener } from '../ports.js';
import type { StateStore } from '../state/state-store.js';
import { classifyUpdate, type PushMemory } from './echo.js';
import { actionTags } from './tag-commands.js';

export interface SocketTriggerDeps {
  config: Pick<Config, 'abs' | 'bridge'>;
  store: Pick<StateStore, 'getItem'>;
  /** The bridge's own recent writes, so their echoes are dropped (echo.ts). */
  pushes: PushMemory;
  enqueue(job: ProcessRequest): void;
  /** A catch-up after ABS finished a task and after every (re)connection. */
  catchUp(): Promise<unknown>;
  logger: Logger;
}

/**
 * The socket as a trigger: new books are queued; an update is queued when it carries the trigger
 * tag or a tag command, or names a book the bridge never saw (echoes and a person's edits are
 * not work); a finished scan or a reconnect starts a catch-up. Returns the unsubscribe.
 */
export function subscribeSocketTriggers(listener: BridgeListener, deps: SocketTriggerDeps): () => void {
  const log = deps.logger;
  const watches = (item: AbsItem) => {
    const only = deps.config.abs.libraryIds;
    return item.mediaType === 'book' && (only.length === 0 || only.includes(item.libraryId));
  };
  const onAdded = (item: AbsItem) => {
    if (watches(item)) deps.enqueue({ itemId: item.id, reason: 'item_added' });
  };
  const onUpdated = async (item: AbsItem) => {
    if (!watches(item)) return;
    // Stamped before the record is read: a run that saves after this read is newer than the event.
    const queuedAt = Date.now();
    try {
      const record = await deps.store.getItem(item.id);
      const kind = classifyUpdate(item, record, actionTags(deps.config.bridge), deps.pushes.get(item.id));
      log.debug({ itemId: item.id, kind }, 'item_updated');
      if (kind === 'trigger') deps.enqueue({ itemId: item.id, reason: 'trigger-tag', force: true });
      else if (kind === 'new') deps.enqueue({ itemId: item.id, reason: 'item_updated (new)', queuedAt });
    } catch (err) {
      log.warn({ err, itemId: item.id }, 'item_updated not handled');
    }
  };
  const catchUpAfter = (why: string) => () => {
    deps.catchUp().catch((err) => log.warn({ err }, `catch-up after ${why} failed`));
  };
  const offs = [
    listener.on('item_added', onAdded),
    listener.on('items_added', (items) => {
      for (const i of items) onAdded(i);
    }),
    listener.on('item_updated', (item) => void onUpdated(item)),
    listener.on('items_updated', (items) => {
      for (const i of items) void onUpdated(i);
    }),
    listener.on('task_finished', catchUpAfter('task')),
    listener.on('ready', catchUpAfter('reconnect')),
  ];
  return () => {
    for (const off of offs) off();
  };
}
