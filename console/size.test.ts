import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleBuild } from './build.ts';
import budget from './size-budget.json' with { type: 'json' };

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

let built: ConsoleBuild;
let manifest: Record<string, Chunk>;
let html: string;

beforeAll(async () => {
  built = await buildConsole(await mkdtemp(join(tmpdir(), 'causette-console-size-')));
  manifest = JSON.parse(await readFile(join(built.outDir, '.vite/manifest.json'), 'utf8'));
  html = await readFile(built.index, 'utf8');
}, 120_000);
afterAll(async () => {
  await rm(built.outDir, { recursive: true, force: true });
});

const gzip = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** The files a browser loads for the first inbox view: the entry, its static imports, their CSS. */
function firstView(): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(Object.keys(manifest).find((key) => manifest[key]!.isEntry)!);
  return [...files];
}

describe('the production console build', () => {
  it('loads at most 60 KiB gzip (JS and CSS) for the first inbox view', async () => {
    let total = gzip(Buffer.from(html));
    for (const file of firstView()) total += gzip(await readFile(join(built.outDir, file)));
    console.log(`console first inbox view: ${total} B gzip (budget ${budget.firstInboxView})`);
    expect(total).toBeLessThanOrEqual(budget.firstInboxView);
  });

  it('loads the pages beyond the inbox lazily, each in its own chunk', () => {
    const first = new Set(firstView());
    const lazy = Object.entries(manifest).filter(([key]) => key.includes('src/pages/'));
    expect(lazy.map(([key]) => key).sort()).toEqual(
      expect.arrayContaining([
        'src/pages/account-page.tsx',
        'src/pages/api-keys-page.tsx',
        'src/pages/link-page.tsx',
        'src/pages/team-page.tsx',
      ]),
    );
    for (const [, chunk] of lazy) expect(first.has(chunk.file)).toBe(false);
  });

  it('names every asset after its content, so it can be cached for a year', () => {
    for (const file of firstView()) expect(file).toMatch(/^assets\/[\w-]+-[\w-]{8}\.(js|css)$/);
  });

  it('has no inline script or style, no eval and no innerHTML, so the strict CSP holds', async () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    for (const file of await readdir(join(built.outDir, 'assets'))) {
      if (!file.endsWith('.js')) continue;
      const code = await readFile(join(built.outDir, 'assets', file), 'utf8');
      expect(code, file).not.toMatch(/\beval\(|new Function\(|insertAdjacentHTML|document\.write/);
    }
  });

  it('its source renders no HTML and imports only types from the server', async () => {
    const sources = await readdir(new URL('./src/', import.meta.url), { recursive: true });
    for (const file of sources.filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name))) {
      const source = await readFile(new URL(`./src/${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|outerHTML/);
      expect(source, file).not.toMatch(/^import (?!type )[^;]*from '(\.\.\/)+server\//m);
    }
  });
});
