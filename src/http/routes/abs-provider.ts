import type { FastifyInstance } from 'fastify';
import type { BridgeMatcher } from '../../bridge/ports.js';
import { AbsSearchQuerySchema, contextFromQuery, toAbsMatches } from '../abs-provider-map.js';
import { checkAuthorization } from '../auth.js';

/** ABS waits 10 s for a custom provider; keep a margin for the response. */
const ABS_TIMEOUT_BUDGET_MS = 9_000;

/** What the endpoint asks: the providers' merged answer and its decision band. */
export type AbsProviderMatcher = Pick<BridgeMatcher, 'aggregate' | 'decide'>;

export interface AbsProviderDeps {
  matcher: AbsProviderMatcher;
  token: string | undefined;
}

/**
 * ABS's custom metadata provider endpoint: register `http://<bridge>/abs-provider` in ABS
 * (Settings → Item Metadata Utils → Custom Metadata Providers) with the bridge's token as the
 * Authorization header value; ABS then calls `GET /abs-provider/search`.
 * Errors use the spec's `{error}` shape.
 */
export function registerAbsProviderRoutes(app: FastifyInstance, deps: AbsProviderDeps): void {
  app.get('/abs-provider/search', async (request, reply) => {
    // ABS sends the registered header value verbatim, so a bare token is accepted here too.
    const verdict = checkAuthorization(request.headers.authorization, deps.token, true);
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason, path: '/abs-provider/search' }, 'unauthorised request');
      return reply.code(401).send({ error: 'Unauthorized' });
    }
    const parsed = AbsSearchQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
      return reply.code(400).send({ error: `Invalid search: ${message.join('; ')}` });
    }
    if (parsed.data.mediaType !== 'book') {
      return reply.code(400).send({ error: 'Invalid search: mediaType: only "book" is supported' });
    }
    // ABS gives up after 10 s; answer with what the providers managed before that.
    const result = await deps.matcher.aggregate(contextFromQuery(parsed.data), {
      signal: AbortSignal.timeout(ABS_TIMEOUT_BUDGET_MS),
    });
    const { decision } = deps.matcher.decide(result);
    return { matches: toAbsMatches(result, decision) };
  });
}
