import { createApiKey, issueLoginPayload, rotateRefresh } from './auth.js';
import { json, type Route, text } from './http.js';

const LOGIN_LIMIT = 10;
const LOGIN_WINDOW_MS = 600_000;

/** /status, /ping, /healthcheck, /login, /auth/refresh, /api/me, /api/api-keys. */
export function authRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/status$/,
      auth: false,
      handler: () =>
        json({
          app: 'audiobookshelf',
          serverVersion: '2.36.0',
          isInit: true,
          language: 'en-us',
          authMethods: ['local'],
          authFormData: {},
        }),
    },
    { method: 'GET', pattern: /^\/ping$/, auth: false, handler: () => json({ success: true }) },
    { method: 'GET', pattern: /^\/healthcheck$/, auth: false, handler: () => text('OK') },
    {
      method: 'POST',
      pattern: /^\/login$/,
      auth: false,
      handler: ({ body, headers, state }) => {
        const now = Date.now();
        while (state.loginTimes.length && (state.loginTimes[0] as number) <= now - LOGIN_WINDOW_MS)
          state.loginTimes.shift();
        if (state.loginTimes.length >= LOGIN_LIMIT) {
          return text('Too many login attempts, please try again later.', 429);
        }
        state.loginTimes.push(now);
        const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
        if (username !== state.opts.username || password !== state.opts.password)
          return text('Unauthorized', 401);
        return json(issueLoginPayload(state, headers['x-return-tokens'] === 'true'));
      },
    },
    {
      method: 'POST',
      pattern: /^\/auth\/refresh$/,
      auth: false,
      handler: ({ headers, state }) => {
        const token = headers['x-refresh-token'];
        const payload = typeof token === 'string' ? rotateRefresh(state, token) : null;
        return payload ? json(payload) : text('Unauthorized', 401);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/me$/,
      auth: true,
      handler: ({ state }) =>
        json({ id: state.user.id, username: state.user.username, type: state.user.type }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/api-keys$/,
      auth: true,
      handler: ({ body, state }) => {
        const b = (body ?? {}) as { name?: string; isActive?: boolean; expiresIn?: number };
        if (!b.name) return text('Invalid request body', 400);
        return json({ apiKey: { ...createApiKey(state, b), userId: state.user.id } });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/api-keys$/,
      auth: true,
      handler: ({ state }) =>
        // The key string itself appears only in the create response.
        json({
          apiKeys: [...state.apiKeys.values()].map(({ id, name, isActive, expiresAt }) => ({
            id,
            name,
            isActive,
            expiresAt,
          })),
        }),
    },
  ];
}
