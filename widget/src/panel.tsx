import { render } from 'preact';
import type { Identity, WireMessage } from '../../server/protocol/frames.ts';
import { ChatApp } from './chat-app.tsx';
import { Connection } from './connection.ts';
import type { MountPanel, Panel } from './contract.ts';
import { panelCss } from './panel-styles.ts';
import { load, save } from './storage.ts';
import { strings } from './strings.ts';

/**
 * The chat panel, loaded by the launcher on first interest. It owns the connection and renders
 * the dialog into the launcher's shadow root.
 */
export const mountPanel: MountPanel = (host) => {
  const t = strings(host.lang);
  const connection = new Connection(host.wsUrl, host.key);
  connection.identify(host.identity);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(panelCss);
  // The visual viewport (what the on-screen keyboard leaves visible) sizes the full-screen panel,
  // through a sheet of its own: no style attribute, so no 'unsafe-inline'.
  const viewport = new CSSStyleSheet();
  host.root.adoptedStyleSheets = [...host.root.adoptedStyleSheets, sheet, viewport];
  const vv = window.visualViewport;
  const fitViewport = () => vv && viewport.replaceSync(`:host{--vh:${vv.height}px;--vt:${vv.offsetTop}px}`);
  vv?.addEventListener('resize', fitViewport);
  vv?.addEventListener('scroll', fitViewport);
  fitViewport();

  const container = document.createElement('div');
  host.mount.prepend(container);
  let isOpen = false;

  const draw = () => {
    render(
      <ChatApp
        connection={connection}
        state={connection.state}
        config={host.config}
        t={t}
        open={isOpen}
        close={panel.close}
      />,
      container,
    );
    track();
  };

  // Unread: messages from the business after the last one the visitor had in front of them.
  let unread = -1;
  const track = () => {
    const saved = load(host.key);
    let seen = saved.seen ?? 0;
    if (isOpen && document.visibilityState === 'visible' && connection.lastSeq > seen) {
      seen = connection.lastSeq;
      save(host.key, { ...saved, seen });
    }
    let count = 0;
    for (const m of connection.state.messages) if (m.role !== 'user' && m.seq > seen) count++;
    if (count === unread) return;
    unread = count;
    host.unread(count);
    save(host.key, { ...load(host.key), unread: count });
  };

  connection.onChange = draw;
  connection.onMessage = (message: WireMessage) =>
    host.emit('message', {
      id: message.id,
      seq: message.seq,
      role: message.role,
      text: message.text,
      createdAt: message.createdAt,
    });

  addEventListener('online', () => connection.wake());
  addEventListener('offline', () => connection.lost());
  addEventListener('pageshow', () => connection.wake());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    connection.wake();
    track();
  });

  const panel: Panel = {
    open() {
      if (isOpen) return;
      isOpen = true;
      connection.connect();
      draw();
      host.toggled(true);
      host.emit('open');
    },
    close() {
      if (!isOpen) return;
      const focused = host.root.activeElement !== null;
      isOpen = false;
      draw();
      host.toggled(false);
      // Focus goes back to the launcher only if it was in the chat: an API call from the page
      // must not pull the visitor's focus away from where they are.
      if (focused) host.launcher.focus();
      host.emit('close');
    },
    connect: () => connection.connect(),
    identify: (identity: Identity) => connection.identify(identity),
    reset: () => connection.reset(),
  };
  draw();
  return panel;
};

export { Connection } from './connection.ts';
export { teamAvailability } from './hours.ts';
export { Markdown } from './markdown.tsx';
