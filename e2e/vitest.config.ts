import { defineConfig } from 'vitest/config';

const report = process.env.DYSTRACK_TEST_REPORT;

// End-to-end tests drive the built app (npm run build) in Debian's Chromium. They start real server
// processes, so files run one after another.
export default defineConfig({
  test: {
    root: 'e2e',
    include: ['**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
