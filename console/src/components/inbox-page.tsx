import { useEffect, useRef, useState } from 'preact/hooks';
import type { InboxView } from '../../../server/protocol/console-inbox.ts';
import type { ListFilter } from '../inbox-rules.ts';
import { formatRoute, type Route } from '../routes.ts';
import { useInbox, useServices } from '../services.ts';
import { ConversationList } from './conversation-list.tsx';
import { ConversationView, type ConversationViewHandle } from './conversation-view.tsx';
import { Filters } from './filters.tsx';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';

const VIEWS: InboxView[] = ['mine', 'waiting', 'unassigned', 'all'];

type InboxRoute = Extract<Route, { name: 'inbox' }>;

/**
 * The inbox: views with their unread counts, the list, and the open conversation beside it (on a
 * phone, one screen at a time). The keyboard works it: j/k, Enter, r, n, e, a and `?`.
 */
export function InboxPage({ route }: { route: InboxRoute }) {
  const { router, prefs } = useServices();
  const inbox = useInbox();
  const t = prefs.t;
  const [selected, setSelected] = useState<string | null>(route.conversationId);
  const [focusRow, setFocusRow] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const view = useRef<ConversationViewHandle>(null);

  useEffect(() => inbox.showList(route.filter), [route.filter]);
  useEffect(() => inbox.open(route.conversationId), [route.conversationId]);

  const rows = inbox.list.value.rows;
  const counts = inbox.counts.value;
  const go = (filter: ListFilter, conversationId: string | null) =>
    router.navigate({ name: 'inbox', filter, conversationId });

  // The key handler is registered once and reads the latest render's state, so a key pressed
  // right after the list appears already moves in it.
  const latest = useRef({ rows, selected, route });
  latest.current = { rows, selected, route };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const { rows, selected, route } = latest.current;
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable], dialog')) return;
      const index = rows.findIndex((row) => row.id === selected);
      const move = (to: number) => {
        const row = rows[Math.max(0, Math.min(rows.length - 1, to))];
        if (!row) return;
        setSelected(row.id);
        setFocusRow((n) => n + 1);
      };
      switch (event.key) {
        case 'j':
          move(index + 1);
          break;
        case 'k':
          move(index < 0 ? 0 : index - 1);
          break;
        case 'Enter':
          if (selected && target?.tagName !== 'A' && target?.tagName !== 'BUTTON') go(route.filter, selected);
          else return;
          break;
        case 'r':
          view.current?.compose('reply');
          break;
        case 'n':
          view.current?.compose('note');
          break;
        case 'e':
          view.current?.resolve();
          break;
        case 'a':
          view.current?.assign();
          break;
        case '?':
          setHelpOpen(true);
          break;
        case 'Escape':
          if (route.conversationId) go(route.filter, null);
          else return;
          break;
        default:
          return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class={route.conversationId ? 'inbox has-open' : 'inbox'}>
      <h1 class="visually-hidden">
        {t.inbox}: {t.views[route.filter.view]}
      </h1>
      <nav class="views" aria-label={t.conversations}>
        <ul>
          {VIEWS.map((name) => {
            const target: Route = { name: 'inbox', filter: { view: name }, conversationId: null };
            const count = counts[name];
            return (
              <li key={name}>
                <a
                  href={formatRoute(target)}
                  aria-current={route.filter.view === name ? 'page' : undefined}
                  onClick={(event) => router.follow(event, target)}
                >
                  <span>{t.views[name]}</span>
                  {count > 0 && (
                    <span class="count">
                      {count}
                      <span class="visually-hidden"> {t.unread(count)}</span>
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <section class="list-pane" aria-label={t.conversations}>
        <Filters filter={route.filter} onChange={(filter) => go(filter, route.conversationId)} />
        <ConversationList
          rows={rows}
          openId={route.conversationId}
          selectedId={selected}
          focusSignal={focusRow}
          filter={route.filter}
        />
      </section>
      <section class="conversation-pane" aria-label={route.conversationId ? undefined : t.pickConversation}>
        {route.conversationId ? (
          <ConversationView controls={view} onBack={() => go(route.filter, null)} />
        ) : (
          <p class="empty">{t.pickConversation}</p>
        )}
      </section>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
