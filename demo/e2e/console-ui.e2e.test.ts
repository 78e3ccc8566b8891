import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { axe, DESKTOP, openConsole, PHONE } from './console-page.ts';
import { HOSTILE_NAME, startConsoleStandIn } from './console-stand-in.ts';

/**
 * What belongs to the console alone, in Chromium: accessibility, the CSP, the phone layout, the
 * keyboard, hostile text. The API behind it is a stand-in written from docs/console-api.md
 * (console-stand-in.ts); console-inbox.e2e.test.ts drives the whole path on the real server.
 */
const screenshots = new URL('../screenshots/', import.meta.url);
let server: Awaited<ReturnType<typeof startConsoleStandIn>>;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  server = await startConsoleStandIn();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const hostileId = () => [...server.inbox.rows.values()].find((row) => row.contact.name === HOSTILE_NAME)!.id;

describe('the console in Chromium', () => {
  it('opens a conversation, replies and adds a note without breaking the CSP; hostile text stays text', async () => {
    const tab = await openConsole(browser, `${server.url}/console/inbox/waiting`);
    const { page } = tab;
    await page.locator(`[data-id="${hostileId()}"]`).click();
    expect(new URL(page.url()).pathname).toBe(`/console/inbox/waiting/${hostileId()}`);
    await page.getByRole('heading', { name: HOSTILE_NAME }).waitFor();
    await page.getByText('<script>alert(1)</script> Je veux parler à quelqu’un').waitFor();
    expect(await page.locator('main img, main script').count()).toBe(0);
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill('/mer');
    await page.getByRole('option', { name: /merci/ }).waitFor();
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe(`Merci ${HOSTILE_NAME} !`);
    await composer.press('Enter');
    await page.locator('.msg.agent', { hasText: 'Merci' }).waitFor();
    await page.getByRole('button', { name: 'Note', exact: true }).click();
    await page.getByRole('textbox', { name: 'Internal note' }).fill('À rappeler demain');
    await page.keyboard.press('Enter');
    await page.locator('.msg.note', { hasText: 'À rappeler demain' }).waitFor();
    // Another operator is viewing: the collision warning says so.
    await page.getByText('Paul also viewing').waitFor();
    expect(await tab.problems()).toEqual([]);
    await tab.close();
  });

  it('j/k, Enter, e and ? work from the keyboard, with the focus visible', async () => {
    const tab = await openConsole(browser, `${server.url}/console/inbox/all`);
    const { page } = tab;
    await page.locator('.conv-link').first().waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const focused = await page.evaluate(() => ({
      id: (document.activeElement as HTMLElement).dataset['id'],
      outline: getComputedStyle(document.activeElement!).outlineStyle,
    }));
    expect(focused.outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.endsWith(focused.id!));
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.keyboard.press('e');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(server.inbox.rows.get(focused.id!)?.status).toBe('resolved');
    expect(await tab.problems()).toEqual([]);
    await tab.close();
  });

  it('on a 390 px phone the list and the conversation are separate screens', async () => {
    const tab = await openConsole(browser, `${server.url}/console/inbox/all`, PHONE);
    const { page } = tab;
    await page.locator('.conv-link').first().click();
    await page.getByRole('button', { name: /Back to the list/ }).waitFor();
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    await page.getByRole('button', { name: /Back to the list/ }).click();
    await page.locator('.list-pane').waitFor();
    expect(await page.locator('.conversation-pane').isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await tab.close();
  });

  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe violation on the inbox, a conversation and the pages, ${device}, ${colorScheme} (screenshots saved)`, async () => {
        const id = hostileId();
        const tab = await openConsole(browser, `${server.url}/console/inbox/all`, {
          ...options,
          colorScheme,
          bypassCSP: true,
        });
        const { page } = tab;
        const shot = (name: string) =>
          page.screenshot({
            path: new URL(`console-${name}-${device}-${colorScheme}.png`, screenshots).pathname,
          });
        await page.locator('.conv-link').first().waitFor();
        expect(await axe(page)).toEqual([]);
        await shot('inbox');
        await page.goto(`${server.url}/console/inbox/all/${id}`);
        await page.locator('.msg').first().waitFor();
        await page.locator('aside.side dl').waitFor();
        expect(await axe(page)).toEqual([]);
        await shot('conversation');
        await page.keyboard.press('?');
        await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
        expect(await axe(page)).toEqual([]);
        await tab.close();
      });
    }
  }
});
