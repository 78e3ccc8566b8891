import type { Identity, WireMessage } from '../../server/protocol/frames.ts';
import type { PublicWidgetConfig } from '../../server/protocol/widget-config.ts';

/**
 * What the page-view loader (embed.ts) hands the lazily loaded panel (panel.tsx), and what the
 * panel gives back. The two are built separately, so these names are never mangled.
 */
export type Lang = 'fr' | 'en';

export type EventName = 'message' | 'open' | 'close';

/** What `on('message', fn)` receives: a message of the visitor's conversation. */
export interface PublicMessage {
  id: string;
  seq: number;
  role: WireMessage['role'];
  text: string;
  createdAt: string;
}

export interface PanelHost {
  root: ShadowRoot;
  /** The element the panel renders into (it carries the position class). */
  mount: HTMLElement;
  launcher: HTMLButtonElement;
  config: PublicWidgetConfig;
  lang: Lang;
  /** ws(s)://…/ws?tenant=SLUG */
  wsUrl: string;
  /** The localStorage key of this tenant's visitor state. */
  key: string;
  identity: Identity | undefined;
  emit(name: EventName, payload?: PublicMessage): void;
  /** The panel opened or closed (by its own buttons, ESC or the API). */
  toggled(open: boolean): void;
  /** Messages from the business the visitor has not seen yet. */
  unread(count: number): void;
}

export interface Panel {
  open(): void;
  close(): void;
  /** Connects without opening (a returning visitor with a recent conversation or a queued message). */
  connect(): void;
  identify(identity: Identity): void;
  /** Forgets this browser's conversation (the site's user logged out). */
  reset(): void;
}

export type MountPanel = (host: PanelHost) => Panel;

/** What localStorage keeps per tenant, shared by the loader and the panel. */
export interface Saved {
  token?: string | undefined;
  /** Messages typed but not yet stored by the server, oldest first. */
  outbox?: { id: string; text: string }[];
  unread?: number;
  /** The highest seq the visitor has seen with the panel open. */
  seen?: number;
  /** Last activity (ms since epoch): a recent conversation reconnects on page load. */
  at?: number;
}
