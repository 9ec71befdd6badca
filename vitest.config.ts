import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and end-to-end suites on the real lab swarm.
// Lab suites run one file at a time (each brings up its own lab of real dockerd nodes).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
