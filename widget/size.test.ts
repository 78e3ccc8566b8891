import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget, type WidgetBuild } from './build.ts';
import budget from './size-budget.json' with { type: 'json' };

let built: WidgetBuild;
let loader: string;
let panel: string;

beforeAll(async () => {
  built = await buildWidget(await mkdtemp(join(tmpdir(), 'causette-size-')));
  loader = await readFile(built.loader, 'utf8');
  panel = await readFile(built.panel, 'utf8');
}, 120_000);
afterAll(async () => {
  await rm(built.outDir, { recursive: true, force: true });
});

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

describe('the production widget build', () => {
  it('loads at most 8 KiB gzip on a page view (script and CSS), and 20 KiB with the panel', () => {
    const pageView = gzip(loader);
    const withPanel = pageView + gzip(panel);
    console.log(
      `widget.js ${pageView} B gzip (budget ${budget.pageView}); with the panel ${withPanel} B gzip (budget ${budget.withPanel})`,
    );
    expect(pageView).toBeLessThanOrEqual(budget.pageView);
    expect(withPanel).toBeLessThanOrEqual(budget.withPanel);
  });

  it('defines no global but window.Causette: the loader is a closure with nothing exported', () => {
    expect(loader).toMatch(/^!?function\(\)\{|^\(\(\)=>\{|^\(function\(\)\{/);
    expect(loader).not.toMatch(/^(var|let|const) /);
    expect(loader).toContain('.Causette=');
  });

  it('renames every _private field, in both parts', () => {
    for (const code of [loader, panel]) expect(code.match(/\._[a-zA-Z]\w*/g) ?? []).toEqual([]);
  });

  it('needs no eval, no inline style element and no innerHTML, so a strict CSP and Trusted Types pass', async () => {
    for (const code of [loader, panel]) {
      expect(code).not.toMatch(/\beval\(|new Function\(/);
      expect(code).not.toMatch(/createElement\(["']style["']\)/);
      expect(code).not.toMatch(/insertAdjacentHTML|document\.write/);
    }
    expect(loader).not.toMatch(/innerHTML/);
    // Preact itself can set innerHTML, but only when given dangerouslySetInnerHTML, which no widget
    // source uses.
    for (const file of await readdir(new URL('./src/', import.meta.url))) {
      const source = await readFile(new URL(`./src/${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML/);
    }
  });

  it('imports the panel by its content hash, so it can be cached for a year', () => {
    const name = built.panel.split('/').at(-1)!;
    expect(name).toMatch(/^panel-[0-9a-f]{12}\.js$/);
    expect(loader).toContain(JSON.stringify(name));
  });

  it('loads no web font', () => {
    for (const code of [loader, panel]) expect(code).not.toMatch(/@font-face|fonts\.googleapis|\.woff2?/);
  });
});
