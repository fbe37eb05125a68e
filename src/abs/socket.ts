import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import type { Logger } from '../logging.js';
import { joinBase } from './http.js';
import {
  type AbsLibrary,
  type AbsLibraryItem,
  AbsLibraryItemSchema,
  AbsLibrarySchema,
  type AbsTaskEvent,
  ItemRemovedEventSchema,
  TaskEventSchema,
} from './schemas.js';
import type { TokenManager } from './tokens.js';

/** The listener's connection state; `polling` is a bridge running without a socket. */
export type SocketState = 'connected' | 'connecting' | 'auth_failed' | 'disconnected' | 'polling';

/** What the listener emits. Only book items/libraries pass (and only `libraryIds` when set). */
export interface AbsSocketEvents {
  state: [state: SocketState, detail?: string];
  /** `init` received: authenticated. Fires on every (re)connect: run a catch-up here. */
  ready: [];
  item_added: [item: AbsLibraryItem];
  items_added: [items: AbsLibraryItem[]];
  item_updated: [item: AbsLibraryItem];
  items_updated: [items: AbsLibraryItem[]];
  item_removed: [removed: { id: string; libraryId?: string | undefined }];
  task_finished: [task: AbsTaskEvent];
  library_added: [library: AbsLibrary];
  library_updated: [library: AbsLibrary];
}

export interface AbsSocketOptions {
  /** Server URL without the base path. */
  url: string;
  basePath?: string;
  tokens: Pick<TokenManager, 'canAuthenticate' | 'getToken' | 'renew'>;
  /** Restrict to these libraries (default: every book library). */
  libraryIds?: readonly string[];
  logger?: Logger;
  /** @default 1000 */
  reconnectDelayMs?: number;
  /** @default 60000 */
  reconnectDelayMaxMs?: number;
  /** No `init`/`auth_failed` within this time after `auth` → retry. @default 10000 */
  authTimeoutMs?: number;
}

type ItemEvent = 'item_added' | 'item_updated';
type ItemsEvent = 'items_added' | 'items_updated';

/**
 * ABS's socket, the way it really authenticates (ABS-API.md §3): connect with no credentials,
 * emit `auth` with a user JWT on EVERY connect (refreshing it first when near expiry), `init`
 * means authenticated; `auth_failed` leaves the socket open but silent, so it is treated as
 * down: renew the token, reconnect with backoff, and never report `connected` meanwhile.
 */
export class AbsSocketListener extends EventEmitter<AbsSocketEvents> {
  private socket: Socket | undefined;
  private current: SocketState = 'disconnected';
  private authFailures = 0;
  private authTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: AbsSocketOptions) {
    super();
  }

  get state(): SocketState {
    return this.current;
  }

  /** Connects, or enters `polling` when there are no socket credentials. */
  start(): void {
    this.stopped = false;
    if (!this.opts.tokens.canAuthenticate) {
      this.setState('polling', 'no abs.username/password or abs.token: polling only');
      return;
    }
    const socket = io(joinBase(this.opts.url), {
      path: `${joinBase('', this.opts.basePath)}/socket.io`,
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: this.opts.reconnectDelayMs ?? 1000,
      reconnectionDelayMax: this.opts.reconnectDelayMaxMs ?? 60_000,
    });
    this.socket = socket;
    this.setState('connecting');
    socket.on('connect', () => void this.authenticate());
    socket.on('init', () => this.onInit());
    socket.on('auth_failed', (payload: unknown) => this.onAuthFailed(payload));
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.on('connect_error', (err) => this.setState('disconnected', `connect error: ${err.message}`));
    this.wireEvents(socket);
  }

  /** Disconnects for good. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.setState(this.opts.tokens.canAuthenticate ? 'disconnected' : 'polling');
  }

  private async authenticate(): Promise<void> {
    this.setState('connecting', 'connected; authenticating');
    let token: string;
    try {
      token = await this.opts.tokens.getToken();
    } catch (error) {
      this.fail(`cannot get a token: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!this.socket?.connected) return;
    this.socket.emit('auth', token);
    clearTimeout(this.authTimer);
    this.authTimer = setTimeout(() => this.fail('no answer to auth'), this.opts.authTimeoutMs ?? 10_000);
  }

  private onInit(): void {
    clearTimeout(this.authTimer);
    this.authFailures = 0;
    this.setState('connected');
    this.emit('ready');
  }

  private onAuthFailed(payload: unknown): void {
    const message = (payload as { message?: unknown } | null)?.message;
    this.fail(`auth_failed: ${typeof message === 'string' ? message : 'Invalid token'}`, true);
  }

  /** Auth did not succeed: drop the silent socket, renew the token, reconnect after a backoff. */
  private fail(detail: string, renew = false): void {
    clearTimeout(this.authTimer);
    this.setState('auth_failed', detail);
    this.socket?.disconnect();
    if (this.stopped) return;
    const base = this.opts.reconnectDelayMs ?? 1000;
    const delay = Math.min(base * 2 ** this.authFailures, this.opts.reconnectDelayMaxMs ?? 60_000);
    this.authFailures++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      if (this.stopped) return;
      if (renew)
        await this.opts.tokens
          .renew()
          .catch((e: unknown) => this.opts.logger?.warn({ err: String(e) }, 'ABS token renewal failed'));
      this.socket?.connect();
    }, delay);
  }

  private onDisconnect(reason: string): void {
    clearTimeout(this.authTimer);
    if (this.current !== 'auth_failed') this.setState('disconnected', reason);
    // After a server-side disconnect socket.io does not reconnect by itself.
    if (reason === 'io server disconnect' && !this.stopped) this.socket?.connect();
  }

  private setState(state: SocketState, detail?: string): void {
    if (state === this.current && detail === undefined) return;
    const changed = state !== this.current;
    this.current = state;
    if (changed) this.opts.logger?.info({ state, detail }, 'ABS socket state');
    this.emit('state', state, detail);
  }

  private clearTimers(): void {
    clearTimeout(this.authTimer);
    clearTimeout(this.retryTimer);
  }

  private wanted(item: AbsLibraryItem): boolean {
    const ids = this.opts.libraryIds;
    return item.mediaType === 'book' && (!ids?.length || ids.includes(item.libraryId));
  }

  private parse<T extends z.ZodType>(schema: T, payload: unknown, event: string): z.output<T> | undefined {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return parsed.data;
    this.opts.logger?.warn({ event, issues: parsed.error.issues.slice(0, 3) }, 'ABS socket payload ignored');
    return undefined;
  }

  private wireEvents(socket: Socket): void {
    for (const event of ['item_added', 'item_updated'] as ItemEvent[]) {
      socket.on(event, (payload: unknown) => {
        const item = this.parse(AbsLibraryItemSchema, payload, event);
        if (item && this.wanted(item)) this.emit(event, item);
      });
    }
    for (const event of ['items_added', 'items_updated'] as ItemsEvent[]) {
      socket.on(event, (payload: unknown) => {
        const list = Array.isArray(payload) ? payload : [];
        const items = list
          .map((p) => this.parse(AbsLibraryItemSchema, p, event))
          .filter((i) => i !== undefined);
        const kept = items.filter((i) => this.wanted(i));
        if (kept.length) this.emit(event, kept);
      });
    }
    socket.on('item_removed', (payload: unknown) => {
      const removed = this.parse(ItemRemovedEventSchema, payload, 'item_removed');
      if (removed) this.emit('item_removed', removed);
    });
    socket.on('task_finished', (payload: unknown) => {
      const task = this.parse(TaskEventSchema, payload, 'task_finished');
      const media = task?.data?.libraryMediaType;
      if (task && (media === undefined || media === 'book')) this.emit('task_finished', task);
    });
    for (const event of ['library_added', 'library_updated'] as const) {
      socket.on(event, (payload: unknown) => {
        const lib = this.parse(AbsLibrarySchema, payload, event);
        if (lib && lib.mediaType === 'book') this.emit(event, lib);
      });
    }
  }
}
