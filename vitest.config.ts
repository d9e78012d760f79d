import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Child-process and loopback tests are I/O bound; two cores are the floor (the Pi and CI).
    pool: 'forks',
    maxWorkers: 2,
  },
});
