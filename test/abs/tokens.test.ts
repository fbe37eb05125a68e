import { describe, expect, it } from 'vitest';
import { signJwt } from '../../mocks/fake-abs/jwt.js';
import { jwtExpiryMs, TokenManager } from '../../src/abs/tokens.js';
import { AuthError, ConfigError } from '../../src/errors.js';

const jwt = (ttl?: number) => signJwt('k', { userId: 'u', username: 'root', type: 'access' }, ttl);
const answer = (access: string, refresh: string | null) => ({
  user: { id: 'u', username: 'root', accessToken: access, refreshToken: refresh },
});

function fakeClient() {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    client: {
      login: async (_u: string, _p: string) => {
        calls.push('login');
        return answer(jwt(3600), `refresh-${++n}`);
      },
      refresh: async (token: string) => {
        calls.push(`refresh:${token}`);
        if (token === 'refresh-dead') throw new AuthError('abs', 'HTTP 401');
        return answer(jwt(3600), `refresh-${++n}`);
      },
    },
  };
}

describe('TokenManager', () => {
  it('reads the JWT exp; none for legacy tokens and garbage', () => {
    const before = Date.now();
    expect(jwtExpiryMs(jwt(60))).toBeGreaterThanOrEqual(before + 59_000);
    expect(jwtExpiryMs(jwt())).toBeUndefined();
    expect(jwtExpiryMs('garbage')).toBeUndefined();
  });

  it('logs in once, reuses the token, and refreshes (not re-logs in) near expiry', async () => {
    const { client, calls } = fakeClient();
    let now = Date.now();
    const tm = new TokenManager({ client, username: 'root', password: 'pw', now: () => now });
    const first = await tm.getToken();
    expect(await tm.getToken()).toBe(first);
    now += 3600_000 - 60_000; // inside the 2-minute margin
    await tm.getToken();
    expect(calls).toEqual(['login', 'refresh:refresh-1']);
  });

  it('shares one renewal between concurrent callers', async () => {
    const { client, calls } = fakeClient();
    const tm = new TokenManager({ client, username: 'root', password: 'pw' });
    await Promise.all([tm.renew(), tm.renew(), tm.getToken()]);
    expect(calls).toEqual(['login']);
  });

  it('falls back to a login when the refresh token is refused', async () => {
    const { client, calls } = fakeClient();
    const tm = new TokenManager({
      client: {
        ...client,
        login: async (u, p) => (calls.length ? client.login(u, p) : answer(jwt(1), 'refresh-dead')),
      },
      username: 'root',
      password: 'pw',
    });
    calls.push('first');
    await tm.renew();
    await tm.renew();
    expect(calls).toEqual(['first', 'login', 'refresh:refresh-1']);
  });

  it('uses a configured legacy token as is, and says clearly when an expired one cannot be renewed', async () => {
    const { client } = fakeClient();
    const legacy = jwt();
    expect(await new TokenManager({ client, token: legacy }).getToken()).toBe(legacy);
    const expired = signJwt('k', { userId: 'u', username: 'root', type: 'access' }, -10);
    await expect(new TokenManager({ client, token: expired }).getToken()).rejects.toThrow(
      /abs\.token has expired/,
    );
  });

  it('without credentials it cannot authenticate and says which settings are missing', async () => {
    const { client } = fakeClient();
    const tm = new TokenManager({ client });
    expect(tm.canAuthenticate).toBe(false);
    await expect(tm.getToken()).rejects.toBeInstanceOf(ConfigError);
  });
});
