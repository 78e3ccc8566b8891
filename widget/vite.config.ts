import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * Terser rather than the default minifier for one reason: it renames `_`-prefixed properties
 * (private fields), as Preact does, which the budget needs. The two builds share nothing at run
 * time but the names in src/contract.ts, which have no leading underscore. build.ts runs it on the
 * bundles (Vite's library mode would keep the ES module's whitespace).
 */
export const terserOptions = {
  ecma: 2020 as const,
  compress: { passes: 2 },
  mangle: { properties: { regex: /^_[^_]/ } },
  format: { comments: false },
};

/**
 * The widget builds in two parts (widget/build.ts runs both):
 * - `loader`: dist/widget.js, the classic script a page view loads: launcher, config, the
 *   window.Causette API. One global, no dependency.
 * - `panel`: dist/panel-HASH.js, an ES module with Preact, the protocol and the chat UI, which
 *   the loader imports on first interest.
 */
export function widgetConfig(part: 'loader' | 'panel', outDir: string, panelFile = 'panel.js'): UserConfig {
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'warn',
    // Always the production JSX transform, even when built from a test run (NODE_ENV=test).
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
    define: { __PANEL__: JSON.stringify(panelFile) },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2020',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      lib:
        part === 'loader'
          ? { entry: src('embed.ts'), formats: ['iife'], name: 'CausetteLoader', fileName: () => 'widget.js' }
          : { entry: src('panel.tsx'), formats: ['es'], fileName: () => panelFile },
    },
  };
}

/** `vite build -c widget/vite.config.ts` alone builds the panel; use `npm run build` for both. */
export default defineConfig(widgetConfig('panel', 'dist'));
