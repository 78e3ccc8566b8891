import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { build } from 'vite';
import { terserOptions, widgetConfig } from './vite.config.ts';

export const defaultOutDir = fileURLToPath(new URL('./dist', import.meta.url));

export interface WidgetBuild {
  outDir: string;
  /** dist/widget.js: what the script tag loads. */
  loader: string;
  /** dist/panel-HASH.js: loaded on first interest. */
  panel: string;
}

/**
 * Production build of the widget: the panel first, named after a hash of its content (so it can
 * be cached for a year), then the loader, which has that name built in.
 */
export async function buildWidget(outDir = defaultOutDir): Promise<WidgetBuild> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build(widgetConfig('panel', outDir, 'panel.js'));
  const body = await minified(join(outDir, 'panel.js'), true);
  await rm(join(outDir, 'panel.js'));
  const panel = `panel-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.js`;
  await writeFile(join(outDir, panel), body);
  // A stable name for the panel, for the unit tests that run against the build (never served).
  await writeFile(join(outDir, 'panel.js'), `export * from './/${panel}';\n`);
  await build(widgetConfig('loader', outDir, panel));
  await writeFile(join(outDir, 'widget.js'), await minified(join(outDir, 'widget.js'), false));
  return { outDir, loader: join(outDir, 'widget.js'), panel: join(outDir, panel) };
}

async function minified(path: string, module: boolean): Promise<string> {
  const result = await minify(await readFile(path, 'utf8'), { ...terserOptions, module, toplevel: module });
  if (!result.code) throw new Error(`terser returned nothing for ${path}`);
  return result.code;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildWidget(process.argv[2] ?? defaultOutDir);
  console.log(`widget built: ${built.loader}, ${built.panel}`);
}
