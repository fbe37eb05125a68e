import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-ABS suite has its own config (vitest.real-abs.config.ts): one server, files in turn.
    exclude: ['test/real-abs/**', 'node_modules/**'],
    // A real redis-server for the cache and shared rate-limit tests (see test/setup/redis.ts).
    globalSetup: ['test/setup/redis.ts'],
    // Tests do not read the developer's ABS_URL, ABS_API_KEY, … (see the file).
    setupFiles: ['test/setup/hermetic-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
