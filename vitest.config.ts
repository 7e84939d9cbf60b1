import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    // A 2-core CI machine under the whole suite is slow: polls wait for what they expect up to 10 s.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 30_000,
    pool: 'forks',
    // One process per worker for all its files: importing the packages (the provider SDKs, zod) again
    // for every file was most of the suite's time. Tests restore what they change in process.env.
    isolate: false,
    env: { TROUPE_LOG_LEVEL: 'silent' },
    // CI also writes a JSON report, from which .ci/run prints one plain closing line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/vitest-report.json' },
  },
});
