import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { classifyToken, socketAllowed } from './auth.js';
import type { FakeAbsState } from './state.js';

const AUTHED = 'authenticated';

/**
 * ABS's socket authority: the handshake carries no credentials; the client emits `auth` with a
 * JWT after `connect`. User JWTs get `init` and join the broadcast room; API keys, refresh tokens,
 * expired or garbage tokens get `auth_failed` and stay connected but hear nothing.
 */
export function attachSocket(
  httpServer: HttpServer,
  state: FakeAbsState,
  basePath: string,
): () => Promise<void> {
  // ABS runs two socket servers when a base path is set: `<basePath>/socket.io` and the legacy
  // `/socket.io`. Neither may destroy upgrades meant for the other.
  const paths = basePath ? [`${basePath}/socket.io`, '/socket.io'] : ['/socket.io'];
  const servers = paths.map(
    (path) =>
      new Server(httpServer, { path, serveClient: false, cors: { origin: '*' }, destroyUpgrade: false }),
  );
  for (const io of servers) io.on('connection', (socket) => onConnection(io, socket, state));
  state.broadcast = (event, payload) => {
    for (const io of servers) io.to(AUTHED).emit(event, payload);
  };
  return async () => {
    await Promise.all(servers.map((io) => new Promise<void>((resolve) => io.close(() => resolve()))));
  };
}

function onConnection(io: Server, socket: Socket, state: FakeAbsState): void {
  // ABS answers its app-level ping even on unauthenticated sockets, so liveness says nothing.
  socket.on('ping', () => socket.emit('pong'));
  socket.on('auth', (token: unknown) => {
    const kind = classifyToken(state, typeof token === 'string' ? token : undefined);
    if (!socketAllowed(kind)) {
      socket.emit('auth_failed', { message: 'Invalid token' });
      return;
    }
    socket.join(AUTHED);
    const user = { id: state.user.id, username: state.user.username, type: state.user.type };
    io.to(AUTHED).emit('user_online', { ...user, session: null, lastSeen: Date.now() });
    socket.emit('init', {
      userId: user.id,
      username: user.username,
      usersOnline: [{ ...user, connections: 1 }],
    });
  });
}
