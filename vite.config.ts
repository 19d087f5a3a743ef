/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Cross-origin isolation: SharedArrayBuffer, hence onnxruntime-web's WASM threads, needs both. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy of the production app (README, "Security headers"). `public/_headers` carries the same
 * for static hosts, and e2e/security.spec.ts checks both. Not on the dev server: its HMR client is injected inline.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  // onnxruntime-web compiles its wasm: WebAssembly needs 'wasm-unsafe-eval' (it allows no JS eval).
  "script-src 'self' 'wasm-unsafe-eval'",
  // The engine worker, its face swap helper, ORT's WASM threads (ORT's own module, one of the app's scripts) and the service worker.
  "worker-src 'self'",
  "style-src 'self'",
  // Previews are blob: URLs made in the page.
  "img-src 'self' blob:",
  // Models and wasm from 'self'; a picture given by URL is fetched by the worker (blob: included).
  "connect-src 'self' blob: https: http:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Everything the production serving sends with every response. */
export const productionHeaders = {
  ...isolationHeaders,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
};

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    VitePWA({
      // A new version waits until the person accepts it (src/pwa/UpdatePrompt.tsx); src/pwa/register.ts registers it.
      registerType: 'prompt',
      injectRegister: false,
      // The icons are in the glob below already.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Face Swap Studio',
        short_name: 'Face Swap',
        description: 'Swap faces between two photos, entirely on your device. No image ever leaves your browser.',
        theme_color: '#4f46e5',
        background_color: '#f8fafc',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'pwa-maskable-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell, ORT's wasm and the face models (public/models/, written by tools/convert-models.ts):
        // everything the app needs offline is downloaded once, when the service worker installs.
        globPatterns: ['**/*.{js,css,html,svg,png,wasm}', 'models/*.{onnx,json}'],
        // Both of ORT's wasm builds (src/worker/runtime.ts), so that either backend works offline: the asyncify one
        // is about 27 MB. A file over this limit fails the build rather than silently going uncached.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  // ORT locates its wasm files relative to its own module; pre-bundling would move it away from them.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { headers: isolationHeaders },
  preview: { headers: productionHeaders, port: 4173, strictPort: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
