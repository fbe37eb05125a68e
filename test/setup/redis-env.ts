import { inject } from 'vitest';

/** The Redis URL from globalSetup, or undefined after a loud warning (never in CI: setup fails there). */
export function redisUrlOrWarn(): string | undefined {
  const url = inject('redisUrl');
  if (!url) {
    console.warn(
      '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
        '!!! SKIPPING REDIS TESTS: no redis-server on PATH and no TEST_REDIS_URL !!!\n' +
        '!!! install redis-server (apt-get install -y redis-server) to run them !!!\n' +
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
    );
    return undefined;
  }
  return url;
}
