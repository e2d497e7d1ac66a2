/// <reference types="node" />
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The web app is built from the workspace packages' TypeScript sources (`source` export condition),
 * so no package needs to be built first. The server serves `dist/` with COOP/COEP and a strict CSP:
 * the build therefore has no inline script and loads nothing from other origins.
 */
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script: Vite's module-preload polyfill would be one.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // One chunk of about 550 kB (170 kB gzipped): zod arrives with @dystrack/core's schemas, which the
    // task runner needs. Acceptable for an app that is loaded once and then cached.
    chunkSizeWarningLimit: 800,
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
    headers: {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    },
    // In development the API runs separately (`dystrack serve`); its address comes from DYSTRACK_API.
    proxy: { '/api': { target: process.env.DYSTRACK_API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  preview: {
    host: '127.0.0.1',
    headers: {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    },
  },
});
