import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../../bot/conversation/conversation-store.ts';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { DEMO_SLUG } from '../seed-demo.ts';
import { launchChromium } from './browser.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';
import { typewriter } from './typewriter-responder.ts';
import { widget } from './widget-page.ts';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const screenshots = new URL('../screenshots/', import.meta.url);

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  // Replies stream word by word, as the LLM agent's do.
  demo = await startDemoServer({ wrapResponder: (bot) => typewriter(bot, 40) });
  browser = await launchChromium();
  await mkdir(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await demo?.destroy();
});

async function open(options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(`${demo.url}/`);
  return { context, page, errors, requests, w: widget(page) };
}

/** Which element of the widget has the focus (its accessible name or tag), or "page". */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.activeElement;
    const inner = host?.shadowRoot?.activeElement;
    if (!inner) return 'page';
    return inner.getAttribute('aria-label') ?? inner.id ?? inner.tagName.toLowerCase();
  });
}

/** A human operator's reply in the page's visitor's conversation, stored as another process would. */
async function operatorReply(page: Page, text: string) {
  const token: string = await page.evaluate(
    () => JSON.parse(localStorage.getItem('causette:ma-boutique') ?? '{}').token,
  );
  const visitorId = token.split('.')[2]!;
  const { db } = demo.server.database;
  const tenantId = (await findTenantIdBySlug(db, DEMO_SLUG))!;
  const conversation = await withTenant(db, tenantId, (tx) =>
    tx.query.conversations.findFirst({ where: (c, { eq }) => eq(c.userId, visitorId) }),
  );
  await withTenant(db, tenantId, (tx) =>
    appendMessage(tx, { tenantId, conversationId: conversation!.id, role: 'agent', content: text }),
  );
}

async function axe(page: Page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const host = document.querySelector('causette-chat');
    const run = (
      window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe.run;
    const result = await run(host, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations;
  });
}

describe('opening and closing', () => {
  it('loads only the launcher on page view, the panel on hover, and moves focus in and back out', async () => {
    const { context, page, errors, requests, w } = await open();
    await w.launcher.waitFor();
    expect(requests.filter((r) => r.startsWith('/panel-'))).toEqual([]);
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { events: string[] }).events = log;
      const api = (window as unknown as { Causette: { on: (e: string, f: () => void) => void } }).Causette;
      api.on('open', () => log.push('open'));
      api.on('close', () => log.push('close'));
    });
    const panelRequested = page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/panel-'));
    await w.launcher.hover();
    await panelRequested;
    await w.launcher.click();
    await w.dialog.waitFor();
    expect(await focused(page)).toBe('c-i');
    expect(await page.getByRole('button', { name: 'Fermer le chat' }).count()).toBe(2);
    await page.keyboard.press('Escape');
    await w.dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Ouvrir le chat');
    await page.evaluate(() => (window as unknown as { Causette: { toggle(): void } }).Causette.toggle());
    await w.dialog.waitFor();
    await w.closeButton.click();
    await w.dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([
      'open',
      'close',
      'open',
      'close',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('chatting', () => {
  it('sends, shows the reply streaming in word by word with a typing indicator, then complete with its source', async () => {
    const { context, page, errors, w } = await open();
    await page.evaluate(() => {
      const got: { role: string; text: string }[] = [];
      (window as unknown as { got: typeof got }).got = got;
      (
        window as unknown as {
          Causette: { on: (e: string, f: (m: { role: string; text: string }) => void) => void };
        }
      ).Causette.on('message', (m) => got.push({ role: m.role, text: m.text }));
    });
    await w.launcher.click();
    await w.ask('Quels moyens de paiement acceptez-vous ?');
    // A part of the reply is on screen before the whole of it.
    const partial = page.locator('li.m[aria-hidden="true"]');
    await partial.waitFor();
    const early = await partial.innerText();
    await partial.waitFor({ state: 'detached' });
    const reply = w.log.locator('li.m', { hasText: /dès 100 € d’achat\./ });
    const whole = await reply.innerText();
    expect(early.length).toBeGreaterThan(0);
    expect(whole.replace(/\s+/g, ' ')).toContain(`Assistant : ${early.trim().replace(/\s+/g, ' ')}`);
    expect(whole).toContain(
      'Source : Quels moyens de paiement acceptez-vous ? Peut-on payer en plusieurs fois ?',
    );
    expect(await page.locator('li.st').last().innerText()).toBe('Envoyé');
    const got = await page.evaluate(() => (window as unknown as { got: { role: string }[] }).got);
    expect(got.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a human reply that arrives while the panel is closed as an unread badge', async () => {
    const { context, page, w } = await open();
    await w.launcher.click();
    await w.ask('Bonjour');
    await w.log.locator('li.m', { hasText: /assistant de Ma Boutique/ }).waitFor();
    await page.keyboard.press('Escape');
    await operatorReply(page, 'Bonjour, ici Claire. Je regarde votre commande.');
    await page.getByRole('button', { name: /Ouvrir le chat \(1 non lu\)/ }).waitFor();
    await page.getByRole('button', { name: /Ouvrir le chat/ }).click();
    await w.log.getByText('Bonjour, ici Claire. Je regarde votre commande.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Ouvrir le chat', exact: true }).waitFor();
    await context.close();
  });
});

describe('keyboard only', () => {
  it('reaches the launcher with Tab, opens with Enter, chats, closes with Escape, always with a visible focus', async () => {
    const { context, page, w } = await open();
    await w.launcher.waitFor();
    for (let i = 0; i < 40 && (await focused(page)) !== 'Ouvrir le chat'; i++)
      await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Ouvrir le chat');
    const ring = () =>
      page.evaluate(() => {
        const el = document.activeElement?.shadowRoot?.activeElement;
        if (!el) return 'none';
        const style = getComputedStyle(el);
        return style.outlineStyle !== 'none' && style.outlineWidth !== '0px' ? 'outline' : style.boxShadow;
      });
    expect(await ring()).not.toBe('none');
    await page.keyboard.press('Enter');
    await w.dialog.waitFor();
    expect(await focused(page)).toBe('c-i');
    await page.keyboard.type('Où se trouve la boutique ?');
    await page.keyboard.press('Enter');
    await w.log
      .getByText(/12 rue des Martyrs/)
      .first()
      .waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Envoyer');
    expect(await ring()).toBe('outline');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).not.toBe('page');
    await page.keyboard.press('Escape');
    await w.dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Ouvrir le chat');
    // Escape also closes from the launcher itself, which the visitor may still be on.
    await page.keyboard.press('Enter');
    await w.dialog.waitFor();
    await page.locator('causette-chat button[aria-haspopup="dialog"]').focus();
    expect(await focused(page)).toBe('Fermer le chat');
    await page.keyboard.press('Escape');
    await w.dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Ouvrir le chat');
    await context.close();
  });
});

describe('on a phone', () => {
  it('opens full screen, with 16px inputs, the launcher out of the way and Tab kept inside', async () => {
    const { context, page, w } = await open({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    await w.launcher.tap();
    await w.dialog.waitFor();
    const box = await w.dialog.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(
      await w.input.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    expect(await page.getByRole('button', { name: /Ouvrir le chat|Fermer le chat/ }).count()).toBe(1);
    await w.input.focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(['Fermer le chat', 'Envoyer', 'c-i']).toContain(await focused(page));
    await w.closeButton.tap();
    await w.launcher.waitFor();
    await context.close();
  });
});

describe('accessibility and looks', () => {
  for (const [device, options] of [
    ['desktop', { viewport: { width: 1280, height: 800 } }],
    [
      'mobile',
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    ],
  ] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe violations on ${device} in ${colorScheme} mode, closed and open (screenshot saved)`, async () => {
        // axe is injected as a script, which the demo page's own CSP would rightly refuse.
        const { context, page, w } = await open({ ...options, colorScheme, bypassCSP: true });
        await w.launcher.waitFor();
        expect(await axe(page)).toEqual([]);
        await w.launcher.click();
        await w.ask('Quels moyens de paiement acceptez-vous ?');
        await w.log
          .getByText(/PayPal/)
          .first()
          .waitFor();
        await page.locator('li.m[aria-hidden="true"]').waitFor({ state: 'detached' });
        expect(await axe(page)).toEqual([]);
        await page.screenshot({ path: new URL(`widget-${device}-${colorScheme}.png`, screenshots).pathname });
        await context.close();
      });
    }
  }

  it('honours prefers-reduced-motion', async () => {
    const { context, page, w } = await open({ reducedMotion: 'reduce' });
    await w.launcher.click();
    await w.dialog.waitFor();
    const animated = await page.evaluate(() => {
      const root = document.querySelector('causette-chat')!.shadowRoot!;
      const sheets = root.adoptedStyleSheets;
      const rules = sheets.flatMap((s) => [...s.cssRules]).map((r) => r.cssText);
      return rules.filter(
        // `:host { all: initial }` names every property, animation and transition too, as `initial`.
        (r) =>
          /(animation|transition):(?!\s*initial)/.test(r) && !/prefers-reduced-motion|@keyframes/.test(r),
      );
    });
    expect(animated).toEqual([]);
    await context.close();
  });
});
