import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { z } from 'zod';
import { parseRetryAfter } from '../boundary/plain-http.js';
import { AuthError, ProviderError, TimeoutError, ValidationError } from '../errors.js';

/** The provider name ABS errors carry (`AuthError.provider === 'abs'`). */
export const ABS = 'abs';

/** Options of the low-level ABS HTTP layer. */
export interface AbsHttpOptions {
  /** Server URL, e.g. `http://abs:13378`. */
  url: string;
  /** ROUTER_BASE_PATH, e.g. `/audiobookshelf`. @default '' */
  basePath?: string;
  /** Bearer token for `/api/*` (an active API key or a user JWT). */
  token?: string | (() => string | undefined);
  /** @default 15000 */
  timeoutMs?: number;
  /** Attempts for retryable failures (network, timeout, 5xx, 429). @default 3 */
  maxAttempts?: number;
  /** First backoff delay. @default 250 */
  initialDelayMs?: number;
  userAgent?: string;
}

export interface AbsRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  params?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Retry retryable failures with backoff. Off for non-idempotent calls such as login. */
  retry?: boolean;
  /** Send the Authorization header. @default true */
  auth?: boolean;
}

export interface AbsResponse {
  status: number;
  data: unknown;
}

/** The ABS server URL with its base path, no trailing slash. */
export function joinBase(url: string, basePath = ''): string {
  const base = basePath.trim().replace(/\/+$/, '');
  const prefix = base === '' || base.startsWith('/') ? base : `/${base}`;
  return `${url.replace(/\/+$/, '')}${prefix}`;
}

/**
 * An HTTP layer for ABS: bearer auth, timeouts, retries with exponential backoff for
 * retryable failures, and ABS's error shapes (plain-text bodies) turned into typed errors.
 * A 404 resolves (status 404) so callers can return `null`.
 */
export function createAbsHttp(opts: AbsHttpOptions, instance?: AxiosInstance) {
  const baseUrl = joinBase(opts.url, opts.basePath);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const client = instance ?? axios.create();
  const policy = retry(
    handleWhen((e) => e instanceof ProviderError && e.retryable),
    {
      maxAttempts: Math.max(0, (opts.maxAttempts ?? 3) - 1),
      backoff: new ExponentialBackoff({ initialDelay: opts.initialDelayMs ?? 250, maxDelay: 5_000 }),
    },
  );

  async function once(req: AbsRequest): Promise<AbsResponse> {
    const token = typeof opts.token === 'function' ? opts.token() : opts.token;
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (opts.userAgent) headers['User-Agent'] = opts.userAgent;
    if (req.auth !== false && token) headers.Authorization = `Bearer ${token}`;
    let response: { status: number; data: string; headers: Record<string, unknown> };
    try {
      response = await client.request<string>({
        method: req.method,
        url: `${baseUrl}${req.path}`,
        params: req.params,
        data: req.body,
        headers,
        timeout: timeoutMs,
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: (x) => x,
      });
    } catch (cause) {
      throw networkError(req, cause, timeoutMs);
    }
    const data = parseBody(response.data);
    checkStatus(req, response.status, data, response.headers);
    return { status: response.status, data };
  }

  return {
    baseUrl,
    request(req: AbsRequest): Promise<AbsResponse> {
      return req.retry === false ? once(req) : policy.execute(() => once(req));
    },
  };
}
export type AbsHttp = ReturnType<typeof createAbsHttp>;

/** Validates a body with zod; the error names the endpoint and every issue. */
export function parseAbs<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ValidationError(`ABS ${what}`, issues, { cause: parsed.error });
}

function networkError(req: AbsRequest, raw: unknown, timeoutMs: number): ProviderError {
  const code = isAxiosError(raw) ? raw.code : undefined;
  // An AxiosError carries the request config, Authorization header included: keep only its text.
  const cause = isAxiosError(raw) ? new Error(`${raw.code ?? 'NETWORK'}: ${raw.message}`) : raw;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new TimeoutError(ABS, timeoutMs, { cause });
  return new ProviderError(ABS, 'NETWORK_ERROR', `${req.method} ${req.path} failed (${code ?? 'NETWORK'})`, {
    retryable: true,
    cause,
  });
}

/** Throws for error statuses; ABS's plain-text bodies ("Invalid cover path") become the message. */
function checkStatus(req: AbsRequest, status: number, data: unknown, headers: Record<string, unknown>): void {
  if (status < 400 || status === 404) return;
  const text = bodyText(data);
  const where = `${req.method} ${req.path}`;
  if (status === 401 || status === 403) {
    throw new AuthError(ABS, `${where}: HTTP ${status} ${text || 'Unauthorized'}`, { status });
  }
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(headers['retry-after'] as string | undefined);
  throw new ProviderError(ABS, `ABS_HTTP_${status}`, `${where}: HTTP ${status} ${text}`.trim(), {
    retryable,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300);
  if (data && typeof data === 'object' && 'error' in data) return String((data as { error: unknown }).error);
  return data == null ? '' : JSON.stringify(data).slice(0, 300);
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (body === '') return null;
  if (!/^\s*[[{"]|^\s*(null|true|false)\s*$/.test(body)) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
