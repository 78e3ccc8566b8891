import type { ComponentType } from 'preact';
import type { Role } from '../../server/protocol/console.ts';
import type { PageName } from './routes.ts';

export interface LazyPage {
  /** Loaded on first visit, in its own chunk: outside the first inbox view's budget. */
  load: () => Promise<{ default: ComponentType }>;
  /** The roles that may open it; the server enforces the same on its routes. */
  roles: readonly Role[];
}

/** Every page beyond the inbox. A new page is a file in pages/ and a line here and in routes.ts. */
export const lazyPages: Record<PageName, LazyPage> = {
  team: { load: () => import('./pages/team-page.tsx'), roles: ['owner'] },
  'api-keys': { load: () => import('./pages/api-keys-page.tsx'), roles: ['owner', 'admin'] },
  account: { load: () => import('./pages/account-page.tsx'), roles: ['owner', 'admin', 'agent'] },
};

/** The one-time link page is reached signed out, so it stands apart from the pages above. */
export const loadLinkPage = () => import('./pages/link-page.tsx');
