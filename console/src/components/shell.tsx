import { useEffect, useMemo } from 'preact/hooks';
import type { Session } from '../../../server/protocol/console.ts';
import { EventsConnection } from '../events-connection.ts';
import { createInboxStore } from '../inbox-store.ts';
import { lazyPages } from '../pages.ts';
import type { Theme } from '../preferences.ts';
import { DEFAULT_ROUTE, formatRoute, type PageName, type Route } from '../routes.ts';
import { InboxContext, useServices } from '../services.ts';
import type { Lang } from '../strings.ts';
import { InboxPage } from './inbox-page.tsx';
import { Lazy } from './lazy.tsx';

/**
 * The signed-in console for one tenant: the top bar, the page the URL names, and the one socket
 * that feeds the inbox's stores.
 */
export function Shell({ session }: { session: Session }) {
  const services = useServices();
  const { router, prefs, sessions, notifier } = services;
  const t = prefs.t;
  const inbox = useMemo(
    () =>
      createInboxStore(services.api, session.user.id, (notice) => {
        const name = notice.row.contact.name ?? notice.row.contact.channelId;
        const title = notice.kind === 'waiting' ? prefs.t.newWaiting : prefs.t.newMessage(name);
        notifier.notify(title, notice.row.lastMessage?.text ?? '', notice.row.id);
      }),
    [],
  );
  useEffect(() => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const connection = new EventsConnection(
      `${scheme}//${location.host}/api/v1/inbox/events`,
      {
        ...inbox.handlers,
        sessionEnded: () => void sessions.load().catch(() => sessions.clear()),
      },
      inbox.lastSeq,
      services.openSocket,
    );
    inbox.setConnection(connection);
    connection.connect();
    return () => connection.close();
  }, []);

  const counts = inbox.counts.value;
  const attention = counts.mine + counts.waiting;
  useEffect(() => {
    document.title = attention > 0 ? `(${attention}) ${t.appName}` : t.appName;
  }, [attention, t]);

  const route = router.route.value;
  const role = session.tenants.find((tenant) => tenant.id === session.currentTenantId)?.role ?? 'agent';
  const nav: { route: Route; label: string; page?: PageName }[] = [
    { route: DEFAULT_ROUTE, label: t.inbox },
    { route: { name: 'page', page: 'team' }, label: t.team, page: 'team' },
    { route: { name: 'page', page: 'api-keys' }, label: t.apiKeys, page: 'api-keys' },
    { route: { name: 'page', page: 'account' }, label: t.account, page: 'account' },
  ];

  return (
    <InboxContext.Provider value={inbox}>
      <div class="shell">
        <a class="skip" href="#content">
          {t.skipToContent}
        </a>
        <header class="topbar">
          <span class="brand">{t.appName}</span>
          <nav aria-label={t.mainNav}>
            <ul>
              {nav
                .filter((item) => !item.page || lazyPages[item.page].roles.includes(role))
                .map((item) => {
                  const current = item.page
                    ? route.name === 'page' && route.page === item.page
                    : route.name === 'inbox';
                  return (
                    <li key={item.label}>
                      <a
                        href={formatRoute(item.route)}
                        aria-current={current ? 'page' : undefined}
                        onClick={(event) => router.follow(event, item.route)}
                      >
                        {item.label}
                      </a>
                    </li>
                  );
                })}
            </ul>
          </nav>
          <span class="spacer" />
          {session.tenants.length > 1 && (
            <label>
              <span class="visually-hidden">{t.tenant}</span>
              <select
                value={session.currentTenantId}
                onChange={(e) => void sessions.switchTenant(e.currentTarget.value)}
              >
                {session.tenants.map((tenant) => (
                  <option key={tenant.id} value={tenant.id}>
                    {tenant.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <details class="menu">
            <summary>{session.user.name ?? session.user.email}</summary>
            <div class="menu-body">
              <label>
                {t.language}
                <select
                  value={prefs.lang.value}
                  onChange={(e) => (prefs.lang.value = e.currentTarget.value as Lang)}
                >
                  <option value="fr">Français</option>
                  <option value="en">English</option>
                </select>
              </label>
              <label>
                {t.theme}
                <select
                  value={prefs.theme.value}
                  onChange={(e) => (prefs.theme.value = e.currentTarget.value as Theme)}
                >
                  <option value="system">{t.themeSystem}</option>
                  <option value="light">{t.themeLight}</option>
                  <option value="dark">{t.themeDark}</option>
                </select>
              </label>
              {notifier.permission === 'default' && (
                <button type="button" onClick={() => void notifier.ask()}>
                  {t.enableNotifications}
                </button>
              )}
              <button type="button" onClick={() => void sessions.signOut()}>
                {t.signOut}
              </button>
            </div>
          </details>
        </header>
        <div role="status" class={inbox.online.value ? 'visually-hidden' : 'banner'}>
          {inbox.online.value ? '' : t.reconnecting}
        </div>
        <main id="content" tabIndex={-1}>
          {route.name === 'inbox' && <InboxPage route={route} />}
          {route.name === 'page' &&
            (lazyPages[route.page].roles.includes(role) ? (
              <Lazy load={lazyPages[route.page].load} />
            ) : (
              <p class="page" role="alert">
                {t.forbidden}
              </p>
            ))}
          {route.name === 'not-found' && (
            <div class="page">
              <h1>{t.notFound}</h1>
              <a href={formatRoute(DEFAULT_ROUTE)} onClick={(event) => router.follow(event, DEFAULT_ROUTE)}>
                {t.goToInbox}
              </a>
            </div>
          )}
        </main>
      </div>
    </InboxContext.Provider>
  );
}
