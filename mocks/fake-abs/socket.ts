import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { classifyToken, socketAllowed } from './auth.js';
import type { FakeAbsState } from './state.js';

const AUTHED = 'authenticated';

/**
 * ABS's socket authority: the handshake carries no credentials; the client emits `auth` with a
 * JWT after `connect`. User JWTs get `init` and join the broadcast room; API keys, refresh tokens,
 * expired or garbage tokens get `auth_failed` and stay connected but hear nothing.
 */
export function attachSocket(httpServer: HttpServer, state: FakeAbsState, basePath: string): Server {
  const io = new Server(httpServer, {
    path: `${basePath}/socket.io`,
    serveClient: false,
    cors: { origin: '*' },
  });
  io.on('connection', (socket) => {
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
  });
  state.broadcast = (event, payload) => {
    io.to(AUTHED).emit(event, payload);
  };
  return io;
}
