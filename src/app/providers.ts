import { createPlainHttp } from '../boundary/plain-http.js';
import type { Config } from '../config/schema.js';
import { CanonicalMetadataSchema } from '../domain/metadata.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { createLocalProviders } from '../providers/local/index.js';
import { createMockProvider } from '../providers/mock.js';
import { createNetworkProviders } from '../providers/network/index.js';
import type { MetadataProvider, ProviderContext, ProviderHttp } from '../providers/types.js';

export interface ProviderDeps {
  logger: Logger;
  events: EventBus;
  /** HTTP for a network provider; the boundary supplies rate limits, breaker and retries. */
  httpFor?: (providerId: string) => ProviderHttp;
  /** Wraps each network provider (the cache decorator). */
  wrap?: (provider: MetadataProvider) => MetadataProvider;
  /** Only local providers. */
  offline?: boolean;
}

/** Builds every enabled provider from config: local first, then network, then canned mocks. */
export function buildProviders(config: Config, deps: ProviderDeps): MetadataProvider[] {
  const contextFor = (providerId: string): ProviderContext => ({
    logger: deps.logger.child({ provider: providerId }),
    events: deps.events,
    userAgent: config.userAgent,
    http: deps.httpFor?.(providerId) ?? createPlainHttp(providerId, { userAgent: config.userAgent }),
  });
  const local = createLocalProviders(config, contextFor);
  const network = deps.offline ? [] : createNetworkProviders(config, contextFor);
  const mocks = config.providers.mock
    .filter((m) => !deps.offline || m.kind === 'local')
    .map(
      (m) =>
        createMockProvider({
          id: m.id,
          kind: m.kind,
          weight: m.weight,
          idTypes: m.idTypes,
          responses: Object.fromEntries(
            Object.entries(m.responses).map(([key, r]) => [
              key,
              {
                fields: CanonicalMetadataSchema.parse(r.fields),
                ...(r.matchConfidence !== undefined ? { matchConfidence: r.matchConfidence } : {}),
              },
            ]),
          ),
        }).provider,
    );
  const wrap = deps.wrap ?? ((p: MetadataProvider) => p);
  return [...local, ...[...network, ...mocks].map((p) => (p.kind === 'network' ? wrap(p) : p))];
}
