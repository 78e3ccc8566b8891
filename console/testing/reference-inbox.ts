import type { ConsoleEvent } from '../../server/protocol/console-events.ts';
import type {
  ConsoleMessage,
  ConversationAnswer,
  InboxPage,
  InboxRow,
  ListQuery,
} from '../../server/protocol/console-inbox.ts';

/**
 * A reference of the inbox server for the console's unit tests, written from docs/console-api.md
 * alone: conversations and messages in memory, each change an event with the next seq, and the
 * list and conversation reads. The rules are written here again on purpose (not imported from
 * the console) where they can be, so a mistake in the console's copy shows.
 */
export class ReferenceInbox {
  seq = 0;
  readonly rows = new Map<string, InboxRow>();
  readonly messages = new Map<string, ConsoleMessage[]>();
  readonly log: ConsoleEvent[] = [];
  private ids = 0;
  private clock = Date.parse('2026-03-01T10:00:00.000Z');

  constructor(readonly me: string) {}

  id(): string {
    return `00000000-0000-4000-8000-${String(++this.ids).padStart(12, '0')}`;
  }

  tick(): string {
    this.clock += 1 + (this.ids % 3);
    return new Date(this.clock).toISOString();
  }

  create(patch: Partial<InboxRow> = {}): InboxRow {
    const at = this.tick();
    const row: InboxRow = {
      id: this.id(),
      channel: 'widget',
      status: 'open',
      contact: { name: null, channelId: `v-${this.ids}` },
      assignee: null,
      lastMessage: null,
      lastActivityAt: at,
      lastSeq: 0,
      unread: 0,
      escalated: false,
      hotLead: false,
      ...patch,
    };
    this.rows.set(row.id, row);
    this.messages.set(row.id, []);
    this.emit({ type: 'conversation', seq: 0, conversation: row });
    return row;
  }

  change(id: string, patch: Partial<InboxRow>): void {
    const row = { ...this.rows.get(id)!, ...patch };
    this.rows.set(id, row);
    this.emit({ type: 'conversation', seq: 0, conversation: row });
  }

  /** A new message: the conversation's activity, last message and unread move with it. */
  message(id: string, role: ConsoleMessage['role'], text: string): ConsoleMessage {
    const row = this.rows.get(id)!;
    const at = this.tick();
    const message: ConsoleMessage = {
      id: this.id(),
      seq: row.lastSeq + 1,
      role,
      text,
      createdAt: at,
      author: null,
      clientId: null,
      citations: [],
      bot: null,
      delivery: null,
    };
    this.messages.get(id)!.push(message);
    this.emit({ type: 'message', seq: 0, conversationId: id, message });
    this.change(id, {
      lastSeq: message.seq,
      lastActivityAt: at,
      lastMessage: { role, text: text.slice(0, 160), at },
      unread: row.unread + (role === 'user' ? 1 : 0),
      status: role === 'user' && row.status === 'resolved' ? 'open' : row.status,
    });
    return message;
  }

  remove(id: string): void {
    this.rows.delete(id);
    this.emit({ type: 'conversation_removed', seq: 0, conversationId: id });
  }

  eventsAfter(seq: number): ConsoleEvent[] {
    return this.log.filter((event) => event.seq > seq);
  }

  list(query: ListQuery): InboxPage {
    const limit = query.limit ?? 50;
    let rows = [...this.rows.values()]
      .filter((row) => this.inList(row, query))
      .sort((a, b) => order(a.lastActivityAt, a.id, b.lastActivityAt, b.id));
    if (query.cursor) {
      const [at, id] = query.cursor.split('|') as [string, string];
      rows = rows.filter((row) => order(row.lastActivityAt, row.id, at, id) > 0);
    }
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? `${last.lastActivityAt}|${last.id}` : null,
      seq: this.seq,
    };
  }

  conversation(id: string, query: { before?: number; after?: number; limit?: number }): ConversationAnswer {
    const limit = query.limit ?? 100;
    const all = this.messages.get(id) ?? [];
    let messages: ConsoleMessage[];
    if (query.after !== undefined) messages = all.filter((m) => m.seq > query.after!).slice(0, limit);
    else {
      const before = all.filter((m) => query.before === undefined || m.seq < query.before);
      messages = before.slice(-limit);
    }
    return {
      conversation: this.rows.get(id)!,
      messages,
      hasEarlier: (messages[0]?.seq ?? 1) > 1,
      escalation: null,
      readSeq: 0,
      seq: this.seq,
    };
  }

  /** Answers the console's fetches as the server would. */
  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input, 'http://console.test');
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const query = Object.fromEntries(url.searchParams);
    if ((init?.method ?? 'GET') === 'GET' && path === '/inbox/conversations') {
      return json(
        this.list({
          ...query,
          view: query['view'] as ListQuery['view'],
          ...(query['limit'] ? { limit: Number(query['limit']) } : {}),
        } as ListQuery),
      );
    }
    const one = /^\/inbox\/conversations\/([^/]+)$/.exec(path);
    if (one) {
      return json(
        this.conversation(one[1]!, {
          ...(query['before'] ? { before: Number(query['before']) } : {}),
          ...(query['after'] ? { after: Number(query['after']) } : {}),
        }),
      );
    }
    return json({ statusCode: 404, code: 'CAUSETTE_ERR_NOT_FOUND', error: 'Not Found', message: path }, 404);
  };

  inList(row: InboxRow, query: Omit<ListQuery, 'cursor' | 'limit'>): boolean {
    const view =
      query.view === 'all' ||
      (query.view === 'mine' && row.assignee?.id === this.me) ||
      (query.view === 'unassigned' && !row.assignee) ||
      (query.view === 'waiting' && row.status === 'waiting');
    return (
      view &&
      (query.status === undefined ? row.status !== 'resolved' : row.status === query.status) &&
      (query.channel === undefined || row.channel === query.channel) &&
      (query.assignee === undefined || row.assignee?.id === query.assignee) &&
      (query.q === undefined || (row.lastMessage?.text.includes(query.q) ?? false))
    );
  }

  private emit(event: ConsoleEvent): void {
    event.seq = ++this.seq;
    this.log.push(event);
  }
}

/** Descending time, then descending id: negative when the first comes first. */
function order(atA: string, idA: string, atB: string, idB: string): number {
  const byTime = new Date(atB).getTime() - new Date(atA).getTime();
  return byTime !== 0 ? byTime : idB.localeCompare(idA);
}
