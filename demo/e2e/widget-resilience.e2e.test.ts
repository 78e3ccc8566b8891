import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';
import { typewriter } from './typewriter-responder.ts';
import { storedMessages, widget } from './widget-page.ts';

/** Nothing the visitor writes or is sent is lost, whatever the network or the server does. */
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  // Slow enough that a reply is still being written when the network or the server goes away.
  demo = await startDemoServer({ wrapResponder: (bot) => typewriter(bot, 150) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.destroy();
});

const count = (items: string[], text: string) => items.filter((item) => item.includes(text)).length;

describe('offline, then online', () => {
  it('queues what is typed offline, shows it waiting, and delivers each message exactly once', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const w = widget(page);
    await page.goto(`${demo.url}/`);
    await w.launcher.click();
    await w.ask('Bonjour');
    await w.log.getByText(/assistant de Ma Boutique/).waitFor();

    await context.setOffline(true);
    await page
      .getByRole('status')
      .getByText(/Hors ligne/)
      .waitFor();
    await w.ask('Premier message hors ligne');
    await w.ask('Second message hors ligne');
    await page.locator('li.st', { hasText: 'En attente' }).nth(1).waitFor();
    const queued = await page.evaluate(
      () => JSON.parse(localStorage.getItem('causette:ma-boutique') ?? '{}').outbox,
    );
    expect(queued.map((o: { text: string }) => o.text)).toEqual([
      'Premier message hors ligne',
      'Second message hors ligne',
    ]);

    await context.setOffline(false);
    await page.locator('li.st', { hasText: 'Envoyé' }).waitFor();
    await page
      .locator('li.st', { hasText: /En attente|Envoi/ })
      .first()
      .waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.querySelector('causette-chat')?.shadowRoot?.querySelectorAll('li.m').length === 7,
    );
    const shown = await w.texts();
    expect(count(shown, 'Premier message hors ligne')).toBe(1);
    expect(count(shown, 'Second message hors ligne')).toBe(1);
    const stored = (await storedMessages(demo)).map((m) => m.content);
    expect(count(stored, 'Premier message hors ligne')).toBe(1);
    expect(count(stored, 'Second message hors ligne')).toBe(1);
    expect(
      await page.evaluate(() => JSON.parse(localStorage.getItem('causette:ma-boutique') ?? '{}').outbox),
    ).toEqual([]);
    await context.close();
  });

  it('completes a reply that was being written when the network dropped', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const w = widget(page);
    await page.goto(`${demo.url}/`);
    await w.launcher.click();
    await w.ask('Quels moyens de paiement acceptez-vous ?');
    await page.locator('li.m[aria-hidden="true"]').waitFor();
    await context.setOffline(true);
    await page
      .getByRole('status')
      .getByText(/Hors ligne/)
      .waitFor();
    await context.setOffline(false);
    const reply = w.log.locator('li.m', { hasText: /dès 100 € d’achat\./ });
    await reply.waitFor();
    expect(await reply.innerText()).toContain('Nous acceptons la carte bancaire, PayPal et Apple Pay.');
    expect(count(await w.texts(), 'Nous acceptons la carte bancaire')).toBe(1);
    await context.close();
  });
});

describe('a server restart in the middle of a conversation', () => {
  it('loses nothing: the reply being written, the messages typed while it was down, all exactly once', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const w = widget(page);
    await page.goto(`${demo.url}/`);
    await w.launcher.click();
    await w.ask('Comment suivre ma commande ?');
    await page.locator('li.m[aria-hidden="true"]').waitFor();

    // Graceful restart (a deploy): the answer being written is finished and stored on the way down.
    await demo.stop();
    await page
      .getByRole('status')
      .getByText(/Hors ligne/)
      .waitFor();
    await w.ask('Message écrit pendant le redémarrage');
    await page.locator('li.st', { hasText: 'En attente' }).waitFor();
    await demo.restart();

    await w.log.locator('li.m', { hasText: /Un lien de suivi vous est envoyé/ }).waitFor({ timeout: 45_000 });
    await page
      .locator('li.st', { hasText: /En attente|Envoi/ })
      .first()
      .waitFor({ state: 'detached', timeout: 45_000 });
    await page.waitForFunction(
      () => document.querySelector('causette-chat')?.shadowRoot?.querySelectorAll('li.m').length === 5,
      undefined,
      { timeout: 45_000 },
    );
    const shown = await w.texts();
    expect(count(shown, 'Message écrit pendant le redémarrage')).toBe(1);
    expect(count(shown, 'Un lien de suivi vous est envoyé')).toBe(1);
    const stored = await storedMessages(demo);
    expect(
      count(
        stored.map((m) => m.content),
        'Message écrit pendant le redémarrage',
      ),
    ).toBe(1);
    await context.close();
  }, 120_000);
});
