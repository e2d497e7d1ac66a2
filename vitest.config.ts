import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, in tests and in global setup: no build before tests.
const alias = Object.fromEntries(
  ['core', 'tasks', 'server'].map((name) => [
    `@dystrack/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
  ]),
);

// CI asks for a JSON report beside the console output (scripts/ci-summary.mjs adds them up).
const report = process.env.DYSTRACK_TEST_REPORT;

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'core', root: 'packages/core', environment: 'node' },
      },
      {
        extends: true,
        // Simulating and analysing minutes of 240-Hz pen samples takes seconds on a busy machine: the time
        // limit only catches a hang.
        test: { name: 'tasks', root: 'packages/tasks', environment: 'jsdom', testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'server',
          root: 'packages/server',
          environment: 'node',
          globalSetup: ['./src/test-utils/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'cli',
          root: 'packages/cli',
          environment: 'node',
          globalSetup: ['../server/src/test-utils/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'web', root: 'packages/web', environment: 'jsdom' },
      },
    ],
  },
});
