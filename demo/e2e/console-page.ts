import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

export const axeSource = await readFile(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export interface ConsolePage {
  page: Page;
  /** CSP violations and script errors seen by the page. */
  problems: () => Promise<string[]>;
  close: () => Promise<void>;
}

/**
 * A console tab: records every Content-Security-Policy violation (from a listener installed
 * before the page's own scripts) and every uncaught error. Failed HTTP answers the console
 * expects (401 before sign-in) are not problems.
 */
export async function openConsole(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
  /** Runs before the page loads (routes, for one). */
  before: (page: Page) => Promise<unknown> = async () => {},
): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  const page = await context.newPage();
  await before(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(url);
  return {
    page,
    problems: async () => [
      ...errors,
      ...(options.bypassCSP
        ? []
        : await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
    ],
    close: () => context.close(),
  };
}

/** axe-core's WCAG 2.2 AA and best-practice rules on the whole page (needs bypassCSP: it is injected). */
export async function axe(page: Page): Promise<{ id: string; nodes: { target: unknown }[] }[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const run = (
      window as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run;
    const result = await run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}
