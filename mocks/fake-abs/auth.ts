import { randomUUID } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt.js';
import type { FakeAbsState } from './state.js';

/** What a bearer token turned out to be. */
export type TokenKind = 'access' | 'legacy' | 'api' | 'refresh' | 'invalid';

/** Classifies a token like ABS's TokenManager (signature, expiry, API key active flag). */
export function classifyToken(state: FakeAbsState, token: string | undefined): TokenKind {
  if (!token) return 'invalid';
  const key = state.apiKeys.get(token);
  if (key) {
    const expired = key.expiresAt !== null && key.expiresAt <= Date.now();
    return key.isActive && !expired ? 'api' : 'invalid';
  }
  const claims = verifyJwt(state.jwtSecret, token);
  if (!claims) return 'invalid';
  if (claims.type === 'access' || claims.type === 'legacy') return claims.type;
  if (claims.type === 'refresh') return 'refresh';
  return 'invalid';
}

/** REST accepts API keys, access tokens and legacy tokens. */
export function restAllowed(kind: TokenKind): boolean {
  return kind === 'api' || kind === 'access' || kind === 'legacy';
}

/** The socket accepts only user JWTs: API keys get `auth_failed` in ABS 2.36. */
export function socketAllowed(kind: TokenKind): boolean {
  return kind === 'access' || kind === 'legacy';
}

/** The user payload of /login and /auth/refresh, with fresh tokens when asked for them. */
export function issueLoginPayload(state: FakeAbsState, returnTokens: boolean) {
  const { user, opts } = state;
  const base = { userId: user.id, username: user.username };
  const accessToken = signJwt(state.jwtSecret, { ...base, type: 'access' }, opts.accessTokenTtlSeconds);
  const refreshToken = signJwt(state.jwtSecret, { ...base, type: 'refresh' }, opts.refreshTokenTtlSeconds);
  state.refreshTokens.set(refreshToken, {});
  if (!user.legacyToken) user.legacyToken = signJwt(state.jwtSecret, { ...base, type: 'legacy' });
  return {
    user: {
      id: user.id,
      username: user.username,
      email: null,
      type: user.type,
      token: user.legacyToken,
      mediaProgress: [],
      bookmarks: [],
      isActive: true,
      isLocked: false,
      permissions: { update: true, delete: true, upload: true },
      librariesAccessible: [],
      refreshToken: returnTokens ? refreshToken : null,
      accessToken,
    },
    userDefaultLibraryId: [...state.libraries.keys()][0] ?? null,
    serverSettings: {
      storeMetadataWithItem: opts.storeMetadataWithItem,
      rateLimitLoginRequests: 10,
      rateLimitLoginWindow: 600000,
    },
    ereaderDevices: [],
    Source: 'docker',
  };
}

/** Rotates a refresh token: the old one stays valid for the grace period. Null when refused. */
export function rotateRefresh(state: FakeAbsState, token: string) {
  const entry = state.refreshTokens.get(token);
  if (!entry || classifyToken(state, token) !== 'refresh') return null;
  if (entry.graceUntil !== undefined && entry.graceUntil <= Date.now()) return null;
  entry.graceUntil ??= Date.now() + state.opts.refreshGraceSeconds * 1000;
  return issueLoginPayload(state, true);
}

/** Creates an API key the way `POST /api/api-keys` does (`isActive` defaults to false). */
export function createApiKey(
  state: FakeAbsState,
  body: { name?: string; isActive?: boolean; expiresIn?: number },
): { id: string; apiKey: string; name: string; isActive: boolean; expiresAt: string | null } {
  const id = randomUUID();
  const apiKey = signJwt(state.jwtSecret, {
    userId: state.user.id,
    username: state.user.username,
    type: 'api',
    keyId: id,
  });
  const expiresAt = body.expiresIn ? Date.now() + body.expiresIn * 1000 : null;
  const name = body.name ?? 'key';
  const isActive = body.isActive === true;
  state.apiKeys.set(apiKey, { id, name, isActive, expiresAt });
  return { id, apiKey, name, isActive, expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null };
}
