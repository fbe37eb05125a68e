import type { TestProject } from 'vitest/node';
import { hasRedisServer, type RedisServer, startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Redis for tests: TEST_REDIS_URL, or a server started here; '' when none could be had. */
    redisUrl: string;
  }
}

/**
 * vitest globalSetup: provides a real Redis to the tests. Uses TEST_REDIS_URL when set, otherwise
 * starts redis-server on a free loopback port and stops it at teardown. Without redis-server the
 * Redis tests skip loudly — except in CI, where that is an error.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: RedisServer | undefined;
  let url = process.env.TEST_REDIS_URL ?? '';
  if (!url) {
    if (hasRedisServer()) {
      server = await startRedisServer();
      url = server.url;
    } else if (process.env.CI === 'true') {
      throw new Error(
        'CI: redis-server is not installed and TEST_REDIS_URL is not set; Redis tests cannot run',
      );
    }
  }
  project.provide('redisUrl', url);
  return async () => {
    await server?.stop();
  };
}
