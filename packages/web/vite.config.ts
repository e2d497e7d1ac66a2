/// <reference types="node" />
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The web app is built from the workspace packages' TypeScript sources (`source` export condition),
 * so no package needs to be built first. The server serves `dist/` with COOP/COEP and a strict CSP:
 * the build therefore has no inline script and loads nothing from other origins.
 *
 * vite-plugin-pwa builds the service worker (src/sw.ts → /sw.js, which precaches everything below) and the
 * web app manifest (/manifest.webmanifest, linked from index.html). The page registers the worker itself
 * (src/pwa/register.ts), so nothing is injected into index.html but the manifest link.
 */
export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        name: 'Dystrack',
        short_name: 'Dystrack',
        description: 'Measure task-specific focal hand dystonia at home, in your browser.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        lang: 'en',
        // app.css: --primary (header, buttons) and --bg
        theme_color: '#1a4f8b',
        background_color: '#f6f7f9',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // the whole app, every lazily loaded page and the task assets: any task can be done offline (the
        // manifest and its icons are added by the plugin)
        globPatterns: ['**/*.{js,css,html,svg,woff2,wasm}'],
        globIgnores: ['**/*.map'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
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
