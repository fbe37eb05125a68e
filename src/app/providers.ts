import { createPlainHttp } from '../boundary/plain-http.js';
import type { Config } from '../config/schema.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logging.js';
import { BUILTIN_PROVIDERS } from '../providers/builtin.js';
import { mockProviderDefinition } from '../providers/mock.js';
import { customProviderDefinition } from '../providers/network/custom.js';
import type {
  MetadataProvider,
  ProviderContext,
  ProviderDefinition,
  ProviderHttp,
  ProviderOptions,
} from '../providers/types.js';

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

/** A definition with its parsed options from the config. */
type Configured = [ProviderDefinition, ProviderOptions];

/** What the config enables, in the built-in list's order, then custom providers, then mocks. */
function configured(config: Config, offline: boolean): Configured[] {
  const { local, custom, mock } = config.providers;
  const pairs = <T extends Record<string, ProviderDefinition>>(
    definitions: T,
    options: Record<keyof T, unknown>,
  ) => Object.entries(definitions).map(([key, d]): Configured => [d, options[key] as ProviderOptions]);
  return [
    ...pairs(BUILTIN_PROVIDERS.local, local),
    ...(offline
      ? []
      : [
          ...pairs(BUILTIN_PROVIDERS.network, config.providers),
          ...custom.map((c): Configured => [customProviderDefinition(c.name), c]),
        ]),
    ...mock.filter((m) => !offline || m.kind === 'local').map((m): Configured => [mockProviderDefinition, m]),
  ];
}

/** Builds every enabled provider from config: local first, then network, then canned mocks. */
export function buildProviders(config: Config, deps: ProviderDeps): MetadataProvider[] {
  const contextFor = (providerId: string): ProviderContext => {
    let http: ProviderHttp | undefined;
    return {
      logger: deps.logger.child({ provider: providerId }),
      events: deps.events,
      userAgent: config.userAgent,
      ffprobePath: config.providers.local.ffprobePath,
      // Made when a provider asks for it (network providers do), so the boundary keeps no state for the others.
      get http() {
        http ??= deps.httpFor?.(providerId) ?? createPlainHttp(providerId, { userAgent: config.userAgent });
        return http;
      },
    };
  };
  const wrap = deps.wrap ?? ((p: MetadataProvider) => p);
  const providers: MetadataProvider[] = [];
  for (const [definition, options] of configured(config, deps.offline ?? false)) {
    if (options.enabled === false) continue;
    const context = contextFor(definition.id);
    const unavailable = definition.unavailable?.(options);
    if (unavailable) {
      context.logger.warn(unavailable);
      continue;
    }
    const provider = definition.create(options, context);
    providers.push(provider.kind === 'network' ? wrap(provider) : provider);
  }
  return providers;
}
