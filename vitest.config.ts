import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - unit: colocated src/**\/*.test.ts (pure code: ja/, policy/, audit/ …);
 * - integration: test/**\/*.test.ts — real HTTP servers on SQLite and on one embedded
 *   PostgreSQL started for the whole run by test/globalSetup.ts (each file makes its own
 *   databases on it, so nothing needs truncating).
 * Two workers: the suite must stay fast on a 2-core machine.
 */
export default defineConfig({
  test: {
    maxWorkers: 2,
    // T10: the rules (src/policy) and the audit trail (src/audit) are covered branch for
    // branch; `npm test` runs with --coverage, so a branch without a test fails the build.
    coverage: {
      provider: 'v8',
      include: ['src/policy/**/*.ts', 'src/audit/**/*.ts'],
      exclude: ['**/*.test.ts'],
      reporter: ['text'],
      reportsDirectory: 'test-output/coverage',
      thresholds: {
        'src/policy/**/*.ts': { branches: 100, functions: 100, lines: 100, statements: 100 },
        'src/audit/**/*.ts': { branches: 100, functions: 100, lines: 100, statements: 100 },
      },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
