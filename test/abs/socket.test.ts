import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createAbsClient } from '../../src/abs/client.js';
import { AbsSocketListener } from '../../src/abs/socket.js';
import { TokenManager } from '../../src/abs/tokens.js';
import type { SocketState } from '../../src/bridge/service/types.js';

const BASE = '/audiobookshelf';
let fake: FakeAbs | undefined;
let listener: AbsSocketListener | undefined;

afterEach(async () => {
  listener?.stop();
  listener = undefined;
  await fake?.stop();
  fake = undefined;
});

function waitForState(l: AbsSocketListener, state: SocketState, timeoutMs = 8000): Promise<void> {
  if (l.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`state ${state} not reached (now ${l.state})`)),
      timeoutMs,
    );
    const onState = (s: SocketState) => {
      if (s !== state) return;
      clearTimeout(timer);
      l.off('state', onState);
      resolve();
    };
    l.on('state', onState);
  });
}

async function connect(f: FakeAbs, creds: { token?: string; login?: boolean }, margin?: number) {
  const client = createAbsClient({ url: f.origin, basePath: BASE, token: f.apiKey });
  const tokens = new TokenManager({
    client,
    token: creds.token,
    username: creds.login ? f.username : undefined,
    password: creds.login ? f.password : undefined,
    ...(margin !== undefined ? { refreshMarginMs: margin } : {}),
  });
  const l = new AbsSocketListener({
    url: f.origin,
    basePath: BASE,
    tokens,
    reconnectDelayMs: 50,
    reconnectDelayMaxMs: 200,
  });
  const states: SocketState[] = [];
  l.on('state', (s) => states.push(s));
  l.start();
  return { l, states, tokens };
}

describe('ABS socket listener against the fake ABS', () => {
  it('logs in, authenticates with `auth` and receives item_added and items_added chunks', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const { l } = await connect(fake, { login: true });
    listener = l;
    await waitForState(l, 'connected');
    const added: string[] = [];
    const batches: number[] = [];
    l.on('item_added', (item) => added.push(item.media.metadata.title ?? ''));
    l.on('items_added', (items) => batches.push(items.length));
    let tasks = 0;
    const finished = new Promise((r) => l.on('task_finished', () => ++tasks === 2 && r(undefined)));
    fake.addItem({ title: 'The Hobbit', author: 'J. R. R. Tolkien' });
    fake.addItems(25);
    await finished; // socket.io keeps order: every item event came before the second task_finished
    expect(added).toEqual(['The Hobbit']);
    expect(batches).toEqual([10, 10, 5]);
  });

  it('reports auth_failed (never connected) when given an API key, which the socket refuses', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const { l, states } = await connect(fake, { token: fake.apiKey });
    listener = l;
    await waitForState(l, 'auth_failed');
    fake.addItem({ title: 'Unheard', author: 'Nobody' });
    await new Promise((r) => setTimeout(r, 300));
    expect(states).not.toContain('connected');
    expect(l.state).not.toBe('connected');
  });

  it('polls when there are no socket credentials', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const { l } = await connect(fake, {});
    listener = l;
    expect(l.state).toBe('polling');
  });

  it('re-authenticates after an ABS restart and fires ready again (catch-up hook)', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const { l, states } = await connect(fake, { login: true });
    listener = l;
    let ready = 0;
    l.on('ready', () => ready++);
    await waitForState(l, 'connected');
    await fake.restart({ downMs: 100 });
    await waitForState(l, 'disconnected');
    await waitForState(l, 'connected');
    expect(ready).toBe(2);
    expect(states).toContain('disconnected');
    const updated = new Promise<string>((r) => l.on('item_updated', (i) => r(i.id)));
    const id = [...fake.state.items.keys()][0] as string;
    fake.userEdit(id, { metadata: { publisher: 'Edited Publisher' } });
    expect(await updated).toBe(id);
  });

  it('refreshes an expired access token before re-emitting auth on reconnect', async () => {
    fake = await startFakeAbs({ basePath: BASE, accessTokenTtlSeconds: 1 });
    const { l } = await connect(fake, { login: true }, 0);
    listener = l;
    await waitForState(l, 'connected');
    await new Promise((r) => setTimeout(r, 1200));
    await fake.restart();
    await waitForState(l, 'disconnected');
    await waitForState(l, 'connected');
    expect(fake.requests.filter((r) => r.path === '/auth/refresh' && r.status === 200)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === '/login')).toHaveLength(1);
  });

  it('sends zero broadcasts to sockets that never authenticated', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const raw = io(fake.origin, { path: `${BASE}/socket.io`, transports: ['websocket'] });
    const heard: string[] = [];
    raw.onAny((event: string) => heard.push(event));
    await new Promise((r) => raw.on('connect', () => r(undefined)));
    fake.addItem({ title: 'Silent', author: 'Nobody' });
    await new Promise((r) => setTimeout(r, 200));
    raw.disconnect();
    expect(heard).toEqual([]);
  });
});

describe('ABS socket listener recovery', () => {
  it('after auth_failed renews the token by logging in and reconnects', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    // A configured token the socket refuses (an API key) plus a login to fall back on.
    const client = createAbsClient({ url: fake.origin, basePath: BASE, token: fake.apiKey });
    const tokens = new TokenManager({
      client,
      token: fake.apiKey,
      username: fake.username,
      password: fake.password,
    });
    const l = new AbsSocketListener({ url: fake.origin, basePath: BASE, tokens, reconnectDelayMs: 50 });
    listener = l;
    const states: SocketState[] = [];
    l.on('state', (s) => states.push(s));
    l.start();
    await waitForState(l, 'connected');
    expect(states.indexOf('auth_failed')).toBeGreaterThan(-1);
    expect(states.indexOf('auth_failed')).toBeLessThan(states.lastIndexOf('connected'));
  });
});

describe('ABS socket listener filtering', () => {
  it('passes only book items of the configured libraries and drops malformed payloads', async () => {
    const { defaultLibrary } = await import('../../mocks/fake-abs/seed.js');
    const other = defaultLibrary('lib-other', 'Other');
    fake = await startFakeAbs({ basePath: BASE, libraries: [defaultLibrary(), other] });
    const client = createAbsClient({ url: fake.origin, basePath: BASE, token: fake.apiKey });
    const tokens = new TokenManager({ client, username: fake.username, password: fake.password });
    const l = new AbsSocketListener({
      url: fake.origin,
      basePath: BASE,
      tokens,
      libraryIds: [fake.libraryId],
    });
    listener = l;
    const seen: string[] = [];
    l.on('item_added', (i) => seen.push(i.media.metadata.title ?? ''));
    let finished = 0;
    const done = new Promise((r) => l.on('task_finished', () => ++finished === 3 && r(undefined)));
    l.start();
    await waitForState(l, 'connected');
    fake.addItem({ title: 'Wanted', author: 'A' });
    fake.addItem({ title: 'Other library', author: 'B', libraryId: 'lib-other' });
    const podcast = {
      ...(fake.expandedItem([...fake.state.items.keys()][0] as string) as object),
      mediaType: 'podcast',
    };
    fake.emit('item_added', podcast);
    fake.emit('item_added', { id: 'broken' });
    fake.addItem({ title: 'Last', author: 'C' });
    await done;
    expect(seen).toEqual(['Wanted', 'Last']);
  });
});

describe('fake ABS socket paths', () => {
  it('answers on the legacy /socket.io too when a base path is set, like ABS', async () => {
    fake = await startFakeAbs({ basePath: BASE });
    const login = await createAbsClient({ url: fake.origin, basePath: BASE }).login(
      fake.username,
      fake.password,
    );
    const raw = io(fake.origin, { path: '/socket.io', transports: ['websocket'] });
    const init = new Promise((r) => raw.on('init', r));
    raw.on('connect', () => raw.emit('auth', login.user.accessToken));
    await init;
    const added = new Promise((r) => raw.on('item_added', r));
    fake.addItem({ title: 'Both paths', author: 'A' });
    await added;
    raw.disconnect();
  });
});
