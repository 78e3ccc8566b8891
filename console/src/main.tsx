import './console.css';
import { render } from 'preact';
import { createApi } from './api.ts';
import { App } from './app.tsx';
import { createNotifier } from './notifier.ts';
import { createPreferences } from './preferences.ts';
import { createRouter } from './router.ts';
import { type Services, ServicesContext } from './services.ts';
import { createSessionStore } from './session-store.ts';

/** The composition root: one API client, router, session and notifier for the page. */
const api = createApi('/api/v1');
const router = createRouter();
const services: Services = {
  api,
  router,
  prefs: createPreferences(),
  sessions: createSessionStore(api),
  notifier: createNotifier((conversationId) => {
    const route = router.route.value;
    router.navigate({
      name: 'inbox',
      filter: route.name === 'inbox' ? route.filter : { view: 'all' },
      conversationId,
    });
  }),
};

render(
  <ServicesContext.Provider value={services}>
    <App />
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);

services.sessions.load().catch(() => services.sessions.clear());
