import type { Identity } from '../../server/protocol/frames.ts';
import type { PublicWidgetConfig } from '../../server/protocol/widget-config.ts';
import type { EventName, Lang, MountPanel, Panel, PublicMessage } from './contract.ts';
import { launcherCss } from './launcher-styles.ts';
import { forget, load } from './storage.ts';

/** The panel chunk's file name, fixed at build time (widget/build.ts). */
declare const __PANEL__: string;

type Listener = (message?: PublicMessage) => void;

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The script tag's entry, everything a page view loads:
 *   <script src="https://HOST/widget.js" data-tenant="SLUG" async></script>
 * It draws the launcher in a shadow root and defines window.Causette. The chat panel (Preact, the
 * protocol, markdown) is a separate module fetched on hover, focus or first open.
 */
const script = document.currentScript as HTMLScriptElement | null;
const tenant = script?.dataset['tenant'];
// Everything is fetched relative to the script, so a server behind a path prefix works too.
const base = new URL('.', script?.src || location.href).href;
const listeners: { [K in EventName]?: Listener[] | undefined } = {};
let launcher: HTMLButtonElement | undefined;
let host: HTMLElement | undefined;
let mount: HTMLElement | undefined;
let opened = false;
let identity: Identity | undefined;
let panel: Promise<Panel | undefined> | undefined;
let start: (() => Promise<Panel | undefined>) | undefined;
/** API calls made before the configuration arrived, run once the launcher exists. */
const waiting: ((panel: Panel) => void)[] = [];

const api = {
  open: () => void withPanel((p) => p.open()),
  close: () => void (panel && withPanel((p) => p.close())),
  toggle: () => (opened ? api.close() : api.open()),
  /** Tells the chat who the visitor is: { id, name?, email?, hash? } (hash: HMAC-SHA256 of id). */
  identify(user: { id: string | number; name?: string; email?: string; hash?: string }) {
    if (!user || user.id == null) return;
    identity = { userId: String(user.id) };
    if (user.name) identity.name = String(user.name);
    if (user.email) identity.email = String(user.email);
    if (user.hash) identity.hash = String(user.hash);
    const known = identity;
    if (panel) void withPanel((p) => p.identify(known));
  },
  /** Forgets this browser's conversation, e.g. when the site's user logs out. */
  reset() {
    identity = undefined;
    if (panel) void withPanel((p) => p.reset());
    else if (tenant) forget(`causette:${tenant}`);
  },
  on(name: EventName, fn: Listener) {
    listeners[name] = [...(listeners[name] ?? []), fn];
    return () => api.off(name, fn);
  },
  off(name: EventName, fn: Listener) {
    listeners[name] = listeners[name]?.filter((f) => f !== fn);
  },
};

// A host page may have queued calls before this script arrived: window.Causette = { q: [[name, ...args]] }.
const early = (window as { Causette?: { q?: unknown[][] } }).Causette?.q;
(window as unknown as { Causette: typeof api }).Causette = api;
if (tenant) void boot(tenant);
for (const [name, ...args] of early ?? []) {
  const method = api[name as keyof typeof api] as ((...a: unknown[]) => unknown) | undefined;
  try {
    method?.(...args);
  } catch (error) {
    console.warn('[causette]', error);
  }
}

async function boot(slug: string): Promise<void> {
  let config: PublicWidgetConfig;
  try {
    const response = await fetch(`${base}widget/config/${encodeURIComponent(slug)}`, { credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    config = await response.json();
  } catch (error) {
    console.warn('[causette] chat unavailable:', error);
    return;
  }
  const lang = pickLang(script?.dataset['lang'], config.language);
  const key = `causette:${slug}`;
  // A custom element name: the host page's `div { … }` rules never match it, and the shadow root's
  // `:host { all: initial !important }` undoes whatever else does.
  host = document.createElement('causette-chat');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    `${launcherCss}:host{--p:${color(config.primaryColor, '#4f46e5')};--t:${color(config.textColor, '#fff')}}`,
  );
  root.adoptedStyleSheets = [sheet];
  mount = document.createElement('div');
  if (config.position === 'left') mount.className = 'left';
  launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'l';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  // Built node by node: no innerHTML anywhere, so Trusted Types policies have nothing to object to.
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z');
  svg.append(path);
  const badge = document.createElement('span');
  badge.className = 'b';
  launcher.append(svg, config.launcherLabel ?? '', badge);
  mount.append(launcher);
  root.append(mount);
  document.body.append(host);
  const words =
    lang === 'fr' ? ['Ouvrir le chat', 'Fermer le chat', 'non lu'] : ['Open chat', 'Close chat', 'unread'];
  const label = (count: number) => {
    const name = opened ? words[1]! : words[0]!;
    const text = config.launcherLabel ? `${config.launcherLabel} – ${name}` : name;
    launcher!.setAttribute('aria-label', count > 0 ? `${text} (${count} ${words[2]})` : text);
    badge.textContent = String(count);
    badge.hidden = count === 0;
  };
  let unread = load(key).unread ?? 0;
  label(unread);

  start = () =>
    (panel ??= import(/* @vite-ignore */ base + __PANEL__).then(
      ({ mountPanel }: { mountPanel: MountPanel }) =>
        mountPanel({
          root,
          mount: mount!,
          launcher: launcher!,
          config,
          lang,
          wsUrl: `${base.replace(/^http/, 'ws')}ws?tenant=${encodeURIComponent(slug)}`,
          key,
          identity,
          emit: (name, payload) => {
            for (const fn of listeners[name] ?? []) {
              try {
                fn(payload);
              } catch (error) {
                console.error(error);
              }
            }
          },
          toggled(open) {
            opened = open;
            mount!.classList.toggle('open', open);
            launcher!.setAttribute('aria-expanded', String(open));
            label(unread);
          },
          unread(count) {
            unread = count;
            label(count);
          },
        }),
      (error: unknown) => {
        console.warn('[causette] chat unavailable:', error);
        panel = undefined;
        return undefined;
      },
    ));
  // The panel is fetched as soon as the visitor shows interest, so the click rarely waits.
  for (const type of ['pointerenter', 'focus', 'touchstart'])
    launcher.addEventListener(type, start, { once: true, passive: true });
  launcher.addEventListener('click', api.toggle);
  // Escape closes the chat wherever the focus is in it, the launcher included: a visitor who
  // clicks and presses Escape at once must not depend on the panel having taken the focus yet.
  // The host page's own Escape handlers (its modals) are not told.
  mount.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !opened) return;
    event.stopPropagation();
    api.close();
  });
  // A visitor with a message still queued, or mid-conversation, is reconnected right away (when
  // the page is idle) so replies, including a human's, arrive on every page.
  const saved = load(key);
  if (saved.outbox?.length || (saved.token && Date.now() - (saved.at ?? 0) < 86_400_000)) {
    const later =
      (window as { requestIdleCallback?: (fn: () => void) => void }).requestIdleCallback ?? setTimeout;
    later(() => void withPanel((p) => p.connect()));
  }
  for (const action of waiting.splice(0)) void withPanel(action);
}

function withPanel(action: (panel: Panel) => void): Promise<void> | undefined {
  if (!start) {
    waiting.push(action);
    return;
  }
  return start().then((p) => p && action(p));
}

/** The page's data-lang, else the tenant's setting, else the browser's language. */
function pickLang(attribute: string | undefined, configured: string): Lang {
  const wanted = attribute || (configured !== 'auto' ? configured : navigator.language);
  return /^fr/i.test(wanted) ? 'fr' : 'en';
}

/** Colours go into CSS text, so only #rrggbb is let through. */
function color(value: string, fallback: string): string {
  return /^#[0-9a-f]{6}$/i.test(value) ? value : fallback;
}
