import { mkdir } from 'node:fs/promises';
import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { axe, DESKTOP, openConsole, PHONE } from './console-page.ts';
import { HOSTILE_NAME, ME, PAUL, startConsoleStandIn } from './console-stand-in.ts';

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
    await page.waitForFunction(() => {
      const second = document.querySelectorAll('.conv-link')[1];
      return second !== undefined && document.activeElement === second;
    });
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

  it('two tabs see each other’s actions live: a take, then a reply', async () => {
    const id = [...server.inbox.rows.values()].find((row) => row.status === 'waiting' && !row.assignee)!.id;
    const a = await openConsole(browser, `${server.url}/console/inbox/waiting/${id}`);
    // Tall enough for every row of the list to be drawn.
    const b = await openConsole(browser, `${server.url}/console/inbox/all/${id}`, {
      viewport: { width: 1280, height: 4800 },
    });
    await b.page.locator('.msg').first().waitFor();
    await a.page.getByRole('button', { name: 'Take' }).click();
    const row = b.page.locator(`[data-id="${id}"]`);
    await row.getByText('With a person').waitFor();
    await row.getByText('Marie').waitFor();
    const composer = a.page.getByRole('textbox', { name: 'Reply' });
    await composer.fill('Je regarde votre commande tout de suite.');
    await composer.press('Enter');
    await b.page.locator('.msg.agent', { hasText: 'Je regarde votre commande tout de suite.' }).waitFor();
    expect(await a.problems()).toEqual([]);
    expect(await b.problems()).toEqual([]);
    await a.close();
    await b.close();
  });

  it('tells of a new conversation waiting for a person: the tab title, and a notification when away', async () => {
    const tab = await openConsole(browser, `${server.url}/console/inbox/waiting`, {}, (page) =>
      page.addInitScript(() => {
        const shown: string[] = [];
        const w = window as unknown as { notified: string[]; Notification: unknown };
        w.notified = shown;
        // The browser's notifications, recorded; the operator is in another tab.
        w.Notification = class {
          static permission = 'granted';
          onclick: (() => void) | null = null;
          constructor(title: string) {
            shown.push(title);
          }
          close() {}
        };
        document.hasFocus = () => false;
      }),
    );
    const { page } = tab;
    await page.locator('.conv-link').first().waitFor();
    const before = await page.title();
    const from = server.inbox.seq;
    const row = server.inbox.create({ contact: { name: 'Nina', channelId: 'v-nina' } });
    server.inbox.message(row.id, 'user', 'Je voudrais parler à quelqu’un');
    server.inbox.change(row.id, { status: 'waiting', escalated: true });
    server.broadcast(from);
    await page.locator(`[data-id="${row.id}"]`).waitFor();
    await page.waitForFunction(() => (window as unknown as { notified: string[] }).notified.length > 0);
    expect(await page.evaluate(() => (window as unknown as { notified: string[] }).notified)).toEqual([
      'A conversation is waiting for a person',
    ]);
    const count = (title: string) => Number(/^\((\d+)\)/.exec(title)?.[1] ?? 0);
    await page.waitForFunction((n) => document.title.startsWith(`(${n})`), count(before) + 1);
    await tab.close();
  });

  it('after its socket is cut and 50 changes are made, it resumes and shows what a fresh load shows', async () => {
    let cut = false;
    const open: WebSocketRoute[] = [];
    let connections = 0;
    const tab = await openConsole(
      browser,
      `${server.url}/console/inbox/all`,
      { viewport: { width: 1280, height: 4800 } },
      (page) =>
        page.routeWebSocket(/\/api\/v1\/inbox\/events$/, (ws) => {
          if (cut) return ws.close({ code: 4000, reason: 'cut by the test' });
          connections++;
          open.push(ws);
          ws.connectToServer();
        }),
    );
    const { page } = tab;
    await page.locator('.conv-link').first().waitFor();
    const listReads = server.reads.lists;
    cut = true;
    for (const ws of open.splice(0)) await ws.close({ code: 4000, reason: 'cut by the test' });
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    // 50 changes the console cannot hear of: messages, assignments, status changes, new conversations.
    const ids = [...server.inbox.rows.keys()];
    for (let i = 0; i < 50; i++) {
      const id = ids[(i * 7) % ids.length]!;
      if (i % 5 === 0) server.inbox.message(id, 'user', `pendant la coupure ${i}`);
      else if (i % 5 === 1) server.inbox.change(id, { status: 'human', assignee: i % 2 ? ME : PAUL });
      else if (i % 5 === 2) server.inbox.change(id, { status: i % 3 ? 'resolved' : 'waiting' });
      else if (i % 5 === 3) server.inbox.message(id, 'agent', `réponse ${i}`);
      else if (i < 20) server.inbox.create({ contact: { name: `Nouveau ${i}`, channelId: `v-new-${i}` } });
      else server.inbox.change(id, { status: 'open', assignee: null });
    }
    cut = false;
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden' });
    expect(connections).toBe(2);
    // It resumed from its last event: nothing was read again over HTTP.
    expect(server.reads.lists).toBe(listReads);
    const expected = server.inbox.list({ view: 'all', limit: 50 });
    expect(expected.nextCursor).toBeNull();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.conv-link').length === n,
      expected.items.length,
    );
    const shown = await page.locator('.conv-link').evaluateAll((links) =>
      links
        .map((a) => ({
          id: (a as HTMLElement).dataset['id'],
          top: a.getBoundingClientRect().top,
          unread: a.querySelector('.count')?.firstChild?.textContent ?? '0',
          status: a.querySelectorAll('.conv-meta')[1]?.textContent ?? '',
        }))
        .sort((x, y) => x.top - y.top)
        .map(({ top: _, ...row }) => row),
    );
    const labels = { open: 'Bot', waiting: 'Waiting', human: 'With a person', resolved: 'Resolved' };
    expect(shown.map((row) => row.id)).toEqual(expected.items.map((row) => row.id));
    expect(shown.map((row) => row.unread)).toEqual(expected.items.map((row) => String(row.unread)));
    for (const [i, row] of expected.items.entries()) expect(shown[i]!.status).toContain(labels[row.status]);
    expect(await tab.problems()).toEqual([]);
    await tab.close();
  });

  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe violation on the inbox, a conversation, the shortcuts and the team, API-key and account pages, ${device}, ${colorScheme} (screenshots saved)`, async () => {
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
        for (const [name, heading] of [
          ['team', 'Team'],
          ['api-keys', 'API keys'],
          ['account', 'Your account'],
        ] as const) {
          await page.goto(`${server.url}/console/${name}`);
          await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
          await page
            .locator(name === 'account' ? 'section h2' : 'table')
            .first()
            .waitFor();
          expect(await axe(page), name).toEqual([]);
          if (device === 'desktop') await shot(name);
        }
        await tab.close();
      });
    }
  }
});
