import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Deadlines, not speed: a test that holds finishes long before these; they only bound a
    // broken one. Generous because the suite shares a 2-core machine with other work (CI, a
    // developer's build), and condition waits (test/support/wait-for.ts) allow 30 s each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child-process and loopback tests are I/O bound; two cores are the floor (the Pi and CI).
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/slowest-files-reporter.ts'],
  },
});
