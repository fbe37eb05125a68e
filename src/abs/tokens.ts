import { AuthError, ConfigError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { AbsClient } from './types.js';

/** Decodes a JWT's `exp` (seconds) without verifying it; undefined for tokens without one. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface TokenManagerOptions {
  client: Pick<AbsClient, 'login' | 'refresh'>;
  username?: string | undefined;
  password?: string | undefined;
  /** A configured user JWT (access or legacy token) used instead of a login. */
  token?: string | undefined;
  /** Refresh when the access token expires within this margin. @default 120000 */
  refreshMarginMs?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * Supplies the user JWT the socket needs (API keys are refused on the socket). With a login it
 * asks for refresh tokens (`x-return-tokens: true`), keeps the refresh token and refreshes
 * before the 1 h access expiry; a failed refresh falls back to a fresh login. ABS keeps a
 * rotated refresh token valid for 600 s, so a refresh that raced another one still works.
 * Tokens are never logged.
 */
export class TokenManager {
  private access: string | undefined;
  private refreshToken: string | undefined;
  private inflight: Promise<string> | undefined;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.margin = opts.refreshMarginMs ?? 120_000;
    this.now = opts.now ?? Date.now;
    this.access = opts.token;
  }

  /** True when socket credentials exist (otherwise the bridge polls). */
  get canAuthenticate(): boolean {
    return Boolean(this.opts.token || (this.opts.username && this.opts.password));
  }

  private get canLogin(): boolean {
    return Boolean(this.opts.username && this.opts.password);
  }

  /** When the current access token expires (ms epoch), if known. */
  get expiresAt(): number | undefined {
    return this.access ? jwtExpiryMs(this.access) : undefined;
  }

  /** A token valid for at least the margin; refreshes or logs in when needed. */
  async getToken(): Promise<string> {
    const exp = this.expiresAt;
    if (this.access && (exp === undefined || exp - this.now() > this.margin)) return this.access;
    return this.renew();
  }

  /** Forces a new token (e.g. after `auth_failed`). Concurrent callers share one renewal. */
  renew(): Promise<string> {
    this.inflight ??= this.doRenew().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async doRenew(): Promise<string> {
    if (this.refreshToken) {
      try {
        return this.store(await this.opts.client.refresh(this.refreshToken));
      } catch (error) {
        this.opts.logger?.warn({ err: describe(error) }, 'ABS token refresh failed; logging in again');
        this.refreshToken = undefined;
      }
    }
    if (this.canLogin) {
      return this.store(
        await this.opts.client.login(this.opts.username as string, this.opts.password as string),
      );
    }
    if (this.opts.token) {
      const exp = jwtExpiryMs(this.opts.token);
      if (exp === undefined || exp > this.now()) return this.opts.token;
      throw new AuthError(
        'abs',
        'the configured abs.token has expired and no username/password is set to renew it',
      );
    }
    throw new ConfigError(['abs.username/abs.password or abs.token is required for the socket']);
  }

  private store(res: {
    user: { accessToken?: string | null; refreshToken?: string | null; token?: string | null };
  }): string {
    const access = res.user.accessToken ?? res.user.token ?? undefined;
    if (!access) throw new AuthError('abs', 'login answer carried no access token');
    this.access = access;
    if (res.user.refreshToken) this.refreshToken = res.user.refreshToken;
    return access;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
