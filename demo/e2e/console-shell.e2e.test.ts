import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { axe, DESKTOP, openConsole, PHONE } from './console-page.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';

const screenshots = new URL('../screenshots/', import.meta.url);
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  demo = await startDemoServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.destroy();
});

describe('the console served by the real server, signed out', () => {
  it('answers a deep link with the app, asks to sign in, and breaks no CSP rule', async () => {
    const tab = await openConsole(browser, `${demo.url}/console/inbox/waiting?channel=whatsapp`);
    await tab.page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    // The address is kept for after the sign-in.
    expect(new URL(tab.page.url()).pathname).toBe('/console/inbox/waiting');
    const csp = await tab.page.evaluate(async () =>
      (await fetch(location.href)).headers.get('content-security-policy'),
    );
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(await tab.problems()).toEqual([]);
    await tab.close();
  });

  it('is worked from the keyboard, with the focus visible', async () => {
    const tab = await openConsole(browser, `${demo.url}/console/`);
    await tab.page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await tab.page.keyboard.press('Tab');
    const focused = await tab.page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return { name: element.getAttribute('name'), outline: getComputedStyle(element).outlineStyle };
    });
    expect(focused).toEqual({ name: 'email', outline: 'solid' });
    await tab.close();
  });

  it('speaks French to a French browser, and a one-time link that does not work says so', async () => {
    const tab = await openConsole(browser, `${demo.url}/console/link#not-a-real-token-0123456789`, {
      locale: 'fr-FR',
    });
    await tab.page.getByText('Ce lien a expiré ou a déjà servi.').waitFor();
    expect(await tab.page.getAttribute('html', 'lang')).toBe('fr');
    expect(await tab.problems()).toEqual([]);
    await tab.close();
  });

  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe violation on ${device} in ${colorScheme} mode (screenshot saved)`, async () => {
        const tab = await openConsole(browser, `${demo.url}/console/`, {
          ...options,
          colorScheme,
          bypassCSP: true,
        });
        await tab.page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
        expect(await axe(tab.page)).toEqual([]);
        await tab.page.screenshot({
          path: new URL(`console-sign-in-${device}-${colorScheme}.png`, screenshots).pathname,
        });
        await tab.close();
      });
    }
  }
});
