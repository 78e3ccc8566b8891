import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InboxRow } from '../../../server/protocol/console-inbox.ts';
import type { ListFilter } from '../inbox-rules.ts';
import { formatRoute } from '../routes.ts';
import { useInbox, useServices } from '../services.ts';
import { formatTime } from './time.ts';

/** Must equal --row-h in console.css. */
export const ROW_HEIGHT = 84;
const OVERSCAN = 6;

/**
 * The list, virtualised: only the rows in view (and a few around) are in the DOM, each placed by
 * a transform, so thousands of rows scroll as smoothly as ten. The next page loads as the end
 * comes into view.
 */
export function ConversationList(props: {
  rows: readonly InboxRow[];
  openId: string | null;
  selectedId: string | null;
  /** Changes when the selected row must take the focus (j/k). */
  focusSignal: number;
  filter: ListFilter;
}) {
  const { rows, openId, selectedId, focusSignal, filter } = props;
  const { router, prefs } = useServices();
  const inbox = useInbox();
  const t = prefs.t;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  const list = inbox.list.value;
  const showing = list.loaded && rows.length > 0;

  // Measured once the scroller exists (it does not while the list loads or is empty).
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 600));
    observer.observe(element);
    return () => observer.disconnect();
  }, [showing]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (list.loaded && list.nextCursor && last >= rows.length - OVERSCAN) void inbox.loadMore();
  }, [last, rows.length, list.nextCursor, list.loaded]);

  // j/k: bring the selected row into view, then give it the focus once it is rendered.
  useEffect(() => {
    const element = scroller.current;
    const index = rows.findIndex((row) => row.id === selectedId);
    if (!element || index < 0 || focusSignal === 0) return;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) {
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    }
    setScrollTop(element.scrollTop);
    requestAnimationFrame(() => element.querySelector<HTMLElement>(`[data-id="${selectedId}"]`)?.focus());
  }, [focusSignal]);

  if (list.loaded && rows.length === 0) return <p class="empty">{t.noConversations}</p>;
  if (!list.loaded) {
    return (
      <p class="empty" role="status">
        {t.loading}
      </p>
    );
  }

  return (
    <div class="scroller" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul aria-label={t.conversations} style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
        {rows.slice(first, last).map((row, i) => {
          const index = first + i;
          const target = { name: 'inbox' as const, filter, conversationId: row.id };
          const name = row.contact.name || row.contact.channelId;
          return (
            <li
              key={row.id}
              aria-setsize={list.nextCursor ? -1 : rows.length}
              aria-posinset={index + 1}
              style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
            >
              <a
                class={row.id === selectedId ? 'conv-link selected' : 'conv-link'}
                href={formatRoute(target)}
                data-id={row.id}
                aria-current={row.id === openId ? 'true' : undefined}
                onClick={(event) => router.follow(event, target)}
              >
                <span class="conv-name">{name}</span>
                <span class="conv-meta">
                  <time dateTime={row.lastActivityAt}>
                    {formatTime(row.lastActivityAt, prefs.lang.value)}
                  </time>
                  {row.unread > 0 && (
                    <span class="count">
                      {row.unread}
                      <span class="visually-hidden"> {t.unread(row.unread)}</span>
                    </span>
                  )}
                </span>
                <span class="conv-last">{row.lastMessage?.text ?? ''}</span>
                <span class="conv-meta">
                  <span>{t.channels[row.channel]}</span>
                  <span>· {t.statuses[row.status]}</span>
                  {row.escalated && <span class="badge">{t.escalated}</span>}
                  {row.hotLead && <span class="badge hot">{t.hotLead}</span>}
                  {row.assignee && <span>· {row.assignee.name}</span>}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {inbox.loadingMore.value && (
        <p class="empty" role="status">
          {t.loadingMore}
        </p>
      )}
    </div>
  );
}
