import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The console's production build: index.html, and hashed JS and CSS under assets/, served by
 * server/plugins/console-app.ts under /console/. Pages beyond the inbox are their own chunks
 * (src/pages.ts), loaded on first visit. No inline script or style anywhere, for the strict CSP.
 */
export function consoleConfig(outDir: string): UserConfig {
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: '/console/',
    logLevel: 'warn',
    // Always the production JSX transform, even when built from a test run (NODE_ENV=test).
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      // Chromium, Firefox and Safari all support modulepreload: no polyfill (it would be inline).
      modulePreload: { polyfill: false },
      // Never inline an asset as a data: URL: the CSP allows none for scripts and styles.
      assetsInlineLimit: 0,
      cssCodeSplit: true,
      // Lists what each entry loads at once and what it loads lazily: the size test reads it.
      manifest: true,
    },
  };
}

export default defineConfig(consoleConfig(fileURLToPath(new URL('./dist', import.meta.url))));
