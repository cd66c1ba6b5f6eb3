import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers and child processes; two workers match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    // Files share their worker's module graph instead of importing the project afresh per file
    // (about a second each). Tests therefore set no process-wide state they do not restore.
    isolate: false,
  },
});
