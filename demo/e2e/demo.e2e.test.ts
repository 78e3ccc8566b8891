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

it('answers a French delivery question on the demo shop and keeps the conversation across a reload', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${demo.url}/`);

  await page.getByRole('button', { name: 'Ouvrir le chat' }).click();
  const input = page.getByRole('textbox', { name: 'Votre message' });
  await input.fill('Combien de temps prend la livraison ?');
  await input.press('Enter');

  const log = page.getByRole('log');
  await log.getByText(/3 à 5 jours ouvrés/).waitFor();
  const messages = log.getByRole('listitem');
  const before = await messages.allInnerTexts();
  expect(before.some((text) => text.includes('Combien de temps prend la livraison ?'))).toBe(true);

  await page.reload();
  await page.getByRole('button', { name: 'Ouvrir le chat' }).click();
  await page
    .getByRole('log')
    .getByText(/3 à 5 jours ouvrés/)
    .waitFor();
  const after = await page.getByRole('log').getByRole('listitem').allInnerTexts();
  expect(after).toEqual(before);
  // The strict Content-Security-Policy of the demo page was not violated.
  expect(errors).toEqual([]);
  await context.close();
});
