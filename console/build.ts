import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { consoleConfig } from './vite.config.ts';

export const defaultOutDir = fileURLToPath(new URL('./dist', import.meta.url));

export interface ConsoleBuild {
  outDir: string;
  /** dist/index.html, answered for every page of the app. */
  index: string;
}

/** Production build of the console into outDir (console/dist by default). */
export async function buildConsole(outDir = defaultOutDir): Promise<ConsoleBuild> {
  await build(consoleConfig(outDir));
  const index = join(outDir, 'index.html');
  await readFile(index);
  return { outDir, index };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildConsole(process.argv[2] ?? defaultOutDir);
  console.log(`console built: ${built.outDir}`);
}
