import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Deadlines, not speed: a test that holds finishes long before these; they only bound a
    // broken one. Generous because the suite shares a 2-core machine with other work (CI, a
    // developer's build), and condition waits (test/support/wait-for.ts) allow 30 s each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most files spend their time waiting (polls, backoff, child processes, loopback HTTP), so
    // four workers on two cores finish about a third sooner than two; the tests wait on
    // conditions, so the extra contention changes their speed, never their outcome.
    pool: 'forks',
    maxWorkers: 4,
    reporters: ['default', './test/support/slowest-files-reporter.ts'],
  },
});
