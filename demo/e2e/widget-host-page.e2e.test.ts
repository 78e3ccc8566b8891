import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../../bot/conversation/conversation-store.ts';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { DEMO_SLUG } from '../seed-demo.ts';
import { launchChromium } from './browser.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';
import { type HostSite, startHostSite } from './host-pages.ts';
import { widget } from './widget-page.ts';

/**
 * The widget as a guest on someone else's page: another origin, a strict CSP with a nonce and
 * Trusted Types, hostile CSS, payloads from both sides of the conversation.
 */
let demo: DemoServer;
let site: HostSite;
let browser: Browser;
const NONCE = 'c2VjcmV0LW5vbmNl';

// Every style the host page could throw at the widget, with !important.
const hostileCss = `* { font: 40px serif !important; color: red !important; background: yellow !important; }
button { display: none !important; } causette-chat, div { display: none !important; opacity: 0 !important; }`;

function page(body: string, head = '') {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Host</title>${head}</head><body>${body}</body></html>`;
}

beforeAll(async () => {
  demo = await startDemoServer();
  const ours = demo.url;
  const ws = ours.replace(/^http/, 'ws');
  const strict = `default-src 'none'; script-src 'nonce-${NONCE}' 'strict-dynamic'; connect-src ${ours} ${ws}; style-src 'self'; img-src 'self' ${ours}; base-uri 'none'; object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'`;
  const recorder = `<script nonce="${NONCE}">
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push({ at: Math.round(e.startTime), ms: Math.round(e.duration) }); }).observe({ type: 'longtask', buffered: true });
    window.received = [];
    window.Causette = { q: [['on', 'message', (m) => window.received.push(m.role + ': ' + m.text)], ['identify', { id: 'guest-42', name: 'Zoé' }]] };
  </script>`;
  site = await startHostSite({
    '/strict.html': {
      csp: strict,
      css: hostileCss,
      html: page(
        `<h1>Une autre boutique</h1><button id="own">Le bouton du site</button>
         <script nonce="${NONCE}" src="${ours}/widget.js" data-tenant="${DEMO_SLUG}" data-lang="en" async></script>`,
        `${recorder}<link rel="stylesheet" href="/host.css">`,
      ),
    },
    '/bare.html': { html: page('<h1>Sans widget</h1>') },
    '/with.html': {
      html: page(
        `<h1>Avec widget</h1><script src="${ours}/widget.js" data-tenant="${DEMO_SLUG}" async></script>`,
      ),
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await demo?.destroy();
});

async function visit(path: string) {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (error) => errors.push(error.message));
  p.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const dialogs: string[] = [];
  p.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await p.goto(`${site.url}${path}`);
  return { context, page: p, errors, dialogs };
}

const inShadow = <T>(p: Page, fn: (root: ShadowRoot) => T) =>
  p.evaluate(`(${fn.toString()})(document.querySelector('causette-chat').shadowRoot)`) as Promise<T>;

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

describe('on another site under a strict CSP with a nonce and Trusted Types', () => {
  it('works with no violation, no error and no long task, untouched by the host page’s CSS', async () => {
    const { context, page: p, errors } = await visit('/strict.html');
    const w = widget(p, 'en');
    await w.launcher.waitFor();
    expect(await w.launcher.isVisible()).toBe(true);
    // "While loading": from navigation until the launcher is on screen and the page is idle.
    const loadedAt = await p.evaluate(
      () => new Promise<number>((resolve) => requestIdleCallback(() => resolve(performance.now()))),
    );
    await w.launcher.click();
    await w.ask('Which payment methods do you accept?');
    await w.log
      .getByText(/PayPal and Apple Pay/)
      .first()
      .waitFor();
    // The host page's CSS does not reach in...
    const looks = await inShadow(p, (root) => {
      const input = root.querySelector('textarea')!;
      const style = getComputedStyle(input);
      return { font: style.fontFamily, size: style.fontSize, color: style.color };
    });
    expect(looks.font).toMatch(/^system-ui/);
    expect(looks.size).toBe('16px');
    expect(looks.color).not.toBe('rgb(255, 0, 0)');
    // ...and ours does not reach out.
    const host = await p.evaluate(() => ({
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style').length,
    }));
    expect(host).toEqual({ sheets: 1, adopted: 0, styleElements: 0 });
    // The queued calls ran: on('message') saw the conversation.
    const received = await p.evaluate(() => (window as unknown as { received: string[] }).received);
    expect(received[0]).toBe('user: Which payment methods do you accept?');
    expect(await p.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    const longTasks = await p.evaluate(
      () => (window as unknown as { longTasks: { at: number; ms: number }[] }).longTasks,
    );
    console.log(
      `long tasks on the host page (loaded at ${Math.round(loadedAt)} ms): ${JSON.stringify(longTasks)}`,
    );
    expect(longTasks.filter((task) => task.at < loadedAt)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('defines no global but window.Causette', async () => {
    const { context, page: p } = await visit('/bare.html');
    const before = await p.evaluate(() => Object.keys(window));
    await p.goto(`${site.url}/with.html`);
    await widget(p).launcher.waitFor();
    await widget(p).launcher.hover();
    await p.waitForFunction(() => document.querySelector('causette-chat')?.shadowRoot?.querySelector('.w'));
    const after = await p.evaluate(() => Object.keys(window));
    expect(after.filter((key) => !before.includes(key))).toEqual(['Causette']);
    await context.close();
  });
});

describe('payloads from both sides are shown as text', () => {
  it('runs nothing and builds no element from a visitor’s or an operator’s message', async () => {
    const { context, page: p, dialogs, errors } = await visit('/with.html');
    const w = widget(p);
    await w.launcher.click();
    const payloads = [
      '<img src=x onerror="window.pwned=1;alert(1)">',
      '<script>window.pwned=2</script>',
      '[clic](javascript:window.pwned=3) <a href="javascript:alert(4)">a</a>',
      '"><svg onload=alert(5)> {{constructor.constructor("alert(6)")()}}',
    ];
    for (const payload of payloads) await w.ask(payload);
    await w.log
      .getByText(/constructor/)
      .first()
      .waitFor();
    await operatorReply(
      p,
      'Bonjour <b onmouseover=alert(7)>gras</b> <iframe src="javascript:alert(8)"></iframe> [ok](https://example.com) [ko](javascript:alert(9)) ![x](https://example.com/x.png)',
    );
    await w.log.getByText(/Bonjour <b onmouseover/).waitFor();
    const built = await inShadow(p, (root) => ({
      // Only the widget's own two icons (launcher, send) are SVG.
      elements: [...root.querySelectorAll('img, script, iframe, svg, b, object, embed')]
        .filter((e) => !e.closest('button'))
        .map((e) => e.outerHTML),
      links: [...root.querySelectorAll('a')].map((a) => ({
        href: a.getAttribute('href'),
        rel: a.rel,
        target: a.target,
      })),
    }));
    expect(built.elements).toEqual([]);
    // Only the https links survive (an image's markdown stays a plain link to it).
    expect(built.links).toEqual([
      { href: 'https://example.com/', rel: 'noopener noreferrer', target: '_blank' },
      { href: 'https://example.com/x.png', rel: 'noopener noreferrer', target: '_blank' },
    ]);
    expect(await p.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const shown = (await w.texts()).join('\n');
    for (const payload of payloads) expect(shown).toContain(payload);
    expect(errors).toEqual([]);
    await context.close();
  });
});
