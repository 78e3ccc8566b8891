import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.ts';
import type { OpenSocket } from './events-connection.ts';
import type { InboxStore } from './inbox-store.ts';
import type { Notifier } from './notifier.ts';
import type { Preferences } from './preferences.ts';
import type { Router } from './router.ts';
import type { SessionStore } from './session-store.ts';

/** What every screen uses, made once in main.tsx (tests make their own). */
export interface Services {
  api: Api;
  prefs: Preferences;
  router: Router;
  sessions: SessionStore;
  notifier: Notifier;
  /** Opens the events socket (a real WebSocket but in tests). */
  openSocket?: OpenSocket | undefined;
}

export const ServicesContext = createContext<Services | null>(null);
export const InboxContext = createContext<InboxStore | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

export function useInbox(): InboxStore {
  const inbox = useContext(InboxContext);
  if (!inbox) throw new Error('useInbox outside InboxContext');
  return inbox;
}
