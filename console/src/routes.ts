import type { Channel, ConversationStatus, InboxView } from '../../server/protocol/console-inbox.ts';
import type { ListFilter } from './inbox-rules.ts';

/** Where the console is served; every URL of the app is under it. */
export const BASE = '/console';

/** The pages beyond the inbox, each loaded on first visit (pages.ts). */
export type PageName = 'team' | 'api-keys' | 'account';
const PAGES: ReadonlySet<string> = new Set<PageName>(['team', 'api-keys', 'account']);

export type Route =
  | { name: 'inbox'; filter: ListFilter; conversationId: string | null }
  | { name: 'link'; token: string }
  | { name: 'page'; page: PageName }
  | { name: 'not-found'; path: string };

const VIEWS: ReadonlySet<string> = new Set<InboxView>(['mine', 'unassigned', 'all', 'waiting']);
const STATUSES: ReadonlySet<string> = new Set<ConversationStatus>(['open', 'waiting', 'human', 'resolved']);
const CHANNELS: ReadonlySet<string> = new Set<Channel>(['widget', 'whatsapp', 'instagram']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DEFAULT_ROUTE: Route = { name: 'inbox', filter: { view: 'all' }, conversationId: null };

/** The route of a URL (path, query and fragment); unknown filter values are dropped. */
export function parseRoute(url: URL): Route {
  const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return DEFAULT_ROUTE;
  const [head, view, id] = parts;
  if (head === 'inbox' && parts.length <= 3) {
    if (view !== undefined && !VIEWS.has(view)) return { name: 'not-found', path };
    if (id !== undefined && !UUID.test(id)) return { name: 'not-found', path };
    const filter: ListFilter = { view: (view ?? 'all') as InboxView };
    const query = url.searchParams;
    const status = query.get('status');
    if (status && STATUSES.has(status)) filter.status = status as ConversationStatus;
    const channel = query.get('channel');
    if (channel && CHANNELS.has(channel)) filter.channel = channel as Channel;
    const assignee = query.get('assignee');
    if (assignee && UUID.test(assignee)) filter.assignee = assignee;
    const q = query.get('q')?.trim().slice(0, 200);
    if (q) filter.q = q;
    return { name: 'inbox', filter, conversationId: id?.toLowerCase() ?? null };
  }
  if (head === 'link' && parts.length === 1) return { name: 'link', token: url.hash.slice(1) };
  if (head && parts.length === 1 && PAGES.has(head)) return { name: 'page', page: head as PageName };
  return { name: 'not-found', path };
}

/** The path (and query) of a route; its inverse is parseRoute. */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'inbox': {
      const { view, status, channel, assignee, q } = route.filter;
      const query = new URLSearchParams();
      if (status) query.set('status', status);
      if (channel) query.set('channel', channel);
      if (assignee) query.set('assignee', assignee);
      if (q) query.set('q', q);
      const search = query.toString();
      const id = route.conversationId ? `/${route.conversationId}` : '';
      return `${BASE}/inbox/${view}${id}${search ? `?${search}` : ''}`;
    }
    case 'link':
      return `${BASE}/link#${route.token}`;
    case 'page':
      return `${BASE}/${route.page}`;
    case 'not-found':
      return `${BASE}${route.path}`;
  }
}

/** Two lists are the same when their view and filters are. */
export function sameFilter(a: ListFilter, b: ListFilter): boolean {
  return (
    a.view === b.view &&
    a.status === b.status &&
    a.channel === b.channel &&
    a.assignee === b.assignee &&
    a.q === b.q
  );
}
