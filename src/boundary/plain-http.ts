import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { AuthError, ProviderError } from '../errors.js';
import type { ProviderHttp, ProviderHttpRequest, ProviderHttpResponse } from '../providers/types.js';

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * One HTTP attempt with the status mapping every provider relies on:
 * 2xx and ordinary 4xx resolve; 401/403 throw AuthError; 429, 5xx and network errors throw a
 * retryable ProviderError (with Retry-After when sent). No limits or retries here: the
 * boundary adds those around it.
 */
export function createPlainHttp(
  provider: string,
  opts: { userAgent: string; timeoutMs?: number; instance?: AxiosInstance },
): ProviderHttp {
  const client = opts.instance ?? axios.create();
  return {
    async request<T>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
      let response: AxiosResponse<string>;
      try {
        response = await client.request<string>({
          method: req.method ?? 'GET',
          url: req.url,
          params: req.params,
          data: req.body,
          headers: { 'User-Agent': opts.userAgent, Accept: 'application/json', ...req.headers },
          signal: req.signal,
          timeout: opts.timeoutMs ?? 10_000,
          validateStatus: () => true,
          responseType: 'text',
          transformResponse: (x) => x,
        });
      } catch (cause) {
        if (req.signal?.aborted) throw req.signal.reason ?? cause;
        const code = isAxiosError(cause) ? (cause.code ?? 'NETWORK') : 'NETWORK';
        throw new ProviderError(provider, 'NETWORK_ERROR', `request failed (${code})`, {
          retryable: true,
          cause,
        });
      }
      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      const status = response.status;
      const data = parseBody(provider, response.data, headers['content-type'], status);
      // Google answers quota exhaustion with 403 + reason rateLimitExceeded: that is a limit, not bad auth.
      if (status === 401 || (status === 403 && !isQuotaBody(data))) {
        throw new AuthError(provider, `HTTP ${status} from ${hostOf(req.url)}`, { status });
      }
      if (status === 429 || status === 403) {
        const retryAfterMs = parseRetryAfter(headers['retry-after']);
        throw new ProviderError(
          provider,
          'RATE_LIMITED',
          `HTTP ${status} (rate limited) from ${hostOf(req.url)}`,
          {
            retryable: true,
            status,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          },
        );
      }
      if (status >= 500) {
        throw new ProviderError(provider, 'UPSTREAM_ERROR', `HTTP ${status} from ${hostOf(req.url)}`, {
          retryable: true,
          status,
        });
      }
      return { status, headers, data: data as T };
    },
  };
}

function parseBody(
  provider: string,
  body: unknown,
  contentType: string | undefined,
  status: number,
): unknown {
  if (typeof body !== 'string') return body;
  if (body === '') return null;
  const looksJson = contentType?.includes('json') || /^\s*[[{]/.test(body);
  if (!looksJson) return body;
  try {
    return JSON.parse(body);
  } catch (cause) {
    if (status >= 500 || status === 429) return body;
    throw new ProviderError(provider, 'MALFORMED_RESPONSE', `HTTP ${status} body is not valid JSON`, {
      retryable: false,
      status,
      cause,
    });
  }
}

/** True for a 403 body that says a quota or rate limit ran out (Google's error envelope). */
export function isQuotaBody(body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return /rateLimitExceeded|userRateLimitExceeded|quotaExceeded|RESOURCE_EXHAUSTED/.test(text);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'provider';
  }
}
