import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The claims the fake puts in its JWTs, like ABS's TokenManager. */
export interface FakeClaims {
  userId: string;
  username: string;
  jti?: string;
  type: 'access' | 'refresh' | 'api' | 'legacy';
  iat: number;
  exp?: number;
  [key: string]: unknown;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs an HS256 JWT (node:crypto only, no dependency). */
export function signJwt(
  secret: string,
  claims: Omit<FakeClaims, 'iat' | 'jti'>,
  ttlSeconds?: number,
): string {
  const iat = Math.floor(Date.now() / 1000);
  const body = { ...claims, jti: randomUUID(), iat } as FakeClaims;
  if (ttlSeconds !== undefined) body.exp = iat + ttlSeconds;
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64(JSON.stringify(body));
  const sig = createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${sig}`;
}

/** Verifies signature and expiry; null for anything invalid (garbage, wrong secret, expired). */
export function verifyJwt(secret: string, token: string, nowMs = Date.now()): FakeClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [head, payload, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FakeClaims;
    if (claims.exp !== undefined && claims.exp * 1000 <= nowMs) return null;
    return claims;
  } catch {
    return null;
  }
}
