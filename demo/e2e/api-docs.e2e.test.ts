import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.destroy();
});

it('renders the API reference at /api/docs under its strict Content-Security-Policy, with nothing blocked', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  // Chromium reports every blocked script, style or request as a securitypolicyviolation event.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const response = await page.goto(`${demo.url}/api/docs/`);
  expect(response?.headers()['content-security-policy']).toContain("style-src 'self'");

  await page.getByRole('heading', { name: /Causette API/ }).waitFor();
  const faq = page.locator('.opblock-summary-path', { hasText: '/api/v1/faq' }).first();
  await faq.waitFor();
  // Opening an operation renders its description and response schema, and the styles apply.
  await faq.click();
  await page.getByText('Every FAQ entry of the tenant.').waitFor();
  const background = await page
    .locator('.opblock-get')
    .first()
    .evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
  expect(problems).toEqual([]);
  await context.close();
});
