import { defineConfig } from 'vitest/config';

/**
 * The real-ABS end-to-end suite (`npm run test:real-abs`): scenarios against Audiobookshelf 2.36
 * itself, started from ../shared/abs-server. Files run one after another: they share one server,
 * and one of them kills and restarts it.
 */
export default defineConfig({
  test: {
    include: ['test/real-abs/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
