import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, in tests and in global setup: no build before tests.
const alias = Object.fromEntries(
  ['core', 'tasks', 'server'].map((name) => [
    `@dystrack/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
  ]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'core', root: 'packages/core', environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'tasks', root: 'packages/tasks', environment: 'jsdom' },
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
        test: { name: 'cli', root: 'packages/cli', environment: 'node', globalSetup: ['../server/src/test-utils/global-setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'web', root: 'packages/web', environment: 'jsdom' },
      },
    ],
  },
});
