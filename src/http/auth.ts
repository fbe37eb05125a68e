import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-token checks for the HTTP service and the ABS custom-provider endpoint.
 * Comparison hashes both sides first, so `timingSafeEqual` always sees equal-length buffers and
 * the time taken reveals neither the token's content nor its length.
 */

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time string equality. */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The token an Authorization header carries: `Bearer <token>` (any case of "Bearer"), or the bare
 * value when `allowBare` (ABS sends a custom provider's authHeader value verbatim).
 */
export function tokenFromHeader(header: string | undefined, allowBare = false): string | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const match = /^bearer\s+(.+)$/i.exec(trimmed);
  if (match?.[1]) return match[1].trim();
  return allowBare && trimmed ? trimmed : undefined;
}

export type AuthVerdict = { ok: true } | { ok: false; reason: 'missing' | 'wrong' | 'unconfigured' };

/** Checks a request's Authorization header against the configured token. */
export function checkAuthorization(
  header: string | undefined,
  expected: string | undefined,
  allowBare = false,
): AuthVerdict {
  if (!expected) return { ok: false, reason: 'unconfigured' };
  const given = tokenFromHeader(header, allowBare);
  if (!given) return { ok: false, reason: 'missing' };
  return safeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'wrong' };
}

/**
 * True when a state-changing request may come from another site: a browser says so with
 * `Sec-Fetch-Site: cross-site`, or sends an Origin whose host differs from the Host header.
 * Non-browser clients send neither and pass.
 */
export function looksCrossSite(headers: {
  origin?: string | undefined;
  host?: string | undefined;
  'sec-fetch-site'?: string | undefined;
}): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    const from = new URL(origin);
    // Normalise the Host header the same way (a default port is dropped from both).
    return from.host !== new URL(`${from.protocol}//${headers.host ?? ''}`).host;
  } catch {
    return true;
  }
}
