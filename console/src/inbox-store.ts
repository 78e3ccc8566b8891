import { batch, signal } from '@preact/signals';
import type { ConsoleEvent, PresenceFrame } from '../../server/protocol/console-events.ts';
import type {
  ActionAnswer,
  CannedResponse,
  CannedResponseList,
  ConversationAnswer,
  ConversationContext,
  InboxPage,
  InboxRow,
  SendAnswer,
  TeammateList,
  UnreadCounts,
} from '../../server/protocol/console-inbox.ts';
import type { Api } from './api.ts';
import type { EventHandlers, EventsConnection } from './events-connection.ts';
import { emptyList, type InboxList, withoutRow, withPage, withRow } from './inbox-list.ts';
import type { ListFilter } from './inbox-rules.ts';
import { sameFilter } from './routes.ts';
import { emptyThread, type Thread, withAnswer, withMessage, withReadSeq } from './thread.ts';

export const PAGE_SIZE = 50;

export interface Notice {
  kind: 'waiting' | 'message';
  row: InboxRow;
}

export interface OpenRow {
  row: InboxRow;
  seq: number;
}

/**
 * The inbox's state, fed by the events socket and by HTTP reads: the list being shown, the open
 * conversation (its row, messages, side panel and presence) and the unread counts. Each piece
 * converges to what a fresh load gives (inbox-list.ts, thread.ts); `lastSeq` is the highest event
 * seq applied, which the socket resumes from.
 */
export function createInboxStore(api: Api, me: string, onNotice: (notice: Notice) => void = () => {}) {
  const list = signal<InboxList>(emptyList({ view: 'all' }, me));
  const loadingMore = signal(false);
  const counts = signal<UnreadCounts>({ mine: 0, unassigned: 0, all: 0, waiting: 0 });
  const thread = signal<Thread | null>(null);
  const openRow = signal<OpenRow | null>(null);
  const context = signal<ConversationContext | null>(null);
  const presence = signal<PresenceFrame | null>(null);
  const online = signal(false);
  const failure = signal<string | null>(null);
  const teammates = signal<TeammateList['items'] | null>(null);
  const canned = signal<CannedResponse[] | null>(null);
  let connection: Pick<EventsConnection, 'watch' | 'typing'> | null = null;
  let lastSeq: number | undefined;
  let synced = false;
  let listToken = 0;
  let threadToken = 0;
  const lastSeen = new Map<string, { status: InboxRow['status']; lastSeq: number }>();

  function failed(error: unknown) {
    failure.value = error instanceof Error ? error.message : String(error);
  }

  async function loadList() {
    const token = ++listToken;
    const { filter } = list.value;
    try {
      const page = await api.get<InboxPage>('/inbox/conversations', { ...filter, limit: PAGE_SIZE });
      if (token === listToken) list.value = withPage(list.value, page, true);
    } catch (error) {
      if (token === listToken) failed(error);
    }
  }

  async function loadMore() {
    const current = list.value;
    if (!current.nextCursor || loadingMore.value) return;
    loadingMore.value = true;
    const token = listToken;
    try {
      const page = await api.get<InboxPage>('/inbox/conversations', {
        ...current.filter,
        cursor: current.nextCursor,
        limit: PAGE_SIZE,
      });
      if (token === listToken) list.value = withPage(list.value, page, false);
    } catch (error) {
      failed(error);
    } finally {
      loadingMore.value = false;
    }
  }

  async function loadThread(part: 'newest' | 'earlier' | 'gap') {
    const current = thread.value;
    if (!current) return;
    const token = part === 'newest' ? ++threadToken : threadToken;
    const query =
      part === 'earlier'
        ? { before: current.messages[0]?.seq }
        : part === 'gap'
          ? { after: current.missingAfter ?? 0 }
          : {};
    try {
      const answer = await api.get<ConversationAnswer>(`/inbox/conversations/${current.id}`, query);
      if (token !== threadToken || thread.value?.id !== current.id) return;
      batch(() => {
        setOpenRow(answer.conversation, answer.seq);
        thread.value = withAnswer(thread.value!, answer, part);
      });
      fillGap();
    } catch (error) {
      if (token === threadToken) failed(error);
    }
  }

  async function loadContext() {
    const id = thread.value?.id;
    if (!id) return;
    try {
      const answer = await api.get<ConversationContext>(`/inbox/conversations/${id}/context`);
      if (thread.value?.id === id) context.value = answer;
    } catch (error) {
      failed(error);
    }
  }

  function fillGap() {
    if (thread.value?.missingAfter != null) void loadThread('gap');
  }

  function setOpenRow(row: InboxRow, seq: number) {
    if (openRow.value?.row.id === row.id && openRow.value.seq >= seq) return;
    if (thread.value?.id === row.id) openRow.value = { row, seq };
  }

  function applyRow(row: InboxRow, seq: number) {
    batch(() => {
      list.value = withRow(list.value, row, seq);
      setOpenRow(row, seq);
    });
  }

  function noticeFor(row: InboxRow) {
    const before = lastSeen.get(row.id);
    lastSeen.set(row.id, { status: row.status, lastSeq: row.lastSeq });
    if (!synced) return;
    if (row.status === 'waiting' && before?.status !== 'waiting') onNotice({ kind: 'waiting', row });
    else if (
      row.assignee?.id === me &&
      row.lastMessage?.role === 'user' &&
      before !== undefined &&
      row.lastSeq > before.lastSeq
    ) {
      onNotice({ kind: 'message', row });
    }
  }

  const handlers: EventHandlers = {
    event(event: ConsoleEvent) {
      lastSeq = Math.max(lastSeq ?? 0, event.seq);
      switch (event.type) {
        case 'conversation':
          noticeFor(event.conversation);
          applyRow(event.conversation, event.seq);
          break;
        case 'conversation_removed':
          list.value = withoutRow(list.value, event.conversationId, event.seq);
          if (thread.value?.id === event.conversationId) {
            batch(() => {
              thread.value = null;
              openRow.value = null;
            });
          }
          break;
        case 'message':
          if (thread.value?.id === event.conversationId) {
            thread.value = withMessage(thread.value, event.message, event.seq);
            fillGap();
          }
          break;
      }
    },
    welcome(resumed, seq) {
      lastSeq = Math.max(lastSeq ?? 0, seq);
      synced = true;
      failure.value = null;
      // Resumed, only what was asked for while offline is read; otherwise everything afresh.
      if (!resumed || !list.value.loaded) void loadList();
      if (thread.value && (!resumed || !thread.value.loaded)) {
        thread.value = emptyThread(thread.value.id);
        void loadThread('newest');
        void loadContext();
      }
    },
    unread(next) {
      counts.value = next;
    },
    presence(next) {
      if (next.conversationId === thread.value?.id) presence.value = next;
    },
    sessionEnded() {},
    status(up) {
      online.value = up;
      if (!up) synced = false;
    },
  };

  async function act(path: string, body?: unknown): Promise<ActionAnswer> {
    const answer = await api.post<ActionAnswer>(path, body);
    applyRow(answer.conversation, answer.seq);
    return answer;
  }

  return {
    list,
    loadingMore,
    counts,
    thread,
    openRow,
    context,
    presence,
    online,
    failure,
    teammates,
    canned,
    handlers,
    lastSeq: () => lastSeq,
    loadTeammates() {
      if (teammates.value) return;
      teammates.value = [];
      api.get<TeammateList>('/inbox/teammates').then((answer) => {
        teammates.value = answer.items;
      }, failed);
    },
    loadCanned() {
      if (canned.value) return;
      canned.value = [];
      api.get<CannedResponseList>('/inbox/canned-responses').then((answer) => {
        canned.value = answer.items;
      }, failed);
    },
    setConnection(next: Pick<EventsConnection, 'watch' | 'typing'>) {
      connection = next;
      next.watch(thread.value?.id ?? null);
    },
    /** What this operator is writing in the open conversation (null: nothing). */
    typing(composing: 'reply' | 'note' | null) {
      const id = thread.value?.id;
      if (id) connection?.typing(id, composing);
    },

    /** Shows a list: loads it when the view or a filter changed (once connected). */
    showList(filter: ListFilter) {
      if (sameFilter(list.value.filter, filter)) return;
      listToken++;
      list.value = emptyList(filter, me);
      if (synced) void loadList();
    },
    loadMore,

    /** Opens a conversation (null: none), loading its messages and side panel. */
    open(id: string | null) {
      if ((thread.value?.id ?? null) === id) return;
      threadToken++;
      batch(() => {
        thread.value = id ? emptyThread(id) : null;
        openRow.value = null;
        context.value = null;
        presence.value = null;
      });
      connection?.watch(id);
      if (id && synced) {
        void loadThread('newest');
        void loadContext();
      }
    },
    loadEarlier: () => loadThread('earlier'),

    async send(kind: 'reply' | 'note', text: string, clientId: string): Promise<void> {
      const id = thread.value?.id;
      if (!id) return;
      const answer = await api.post<SendAnswer>(`/inbox/conversations/${id}/messages`, {
        kind,
        text,
        clientId,
      });
      batch(() => {
        if (thread.value?.id === id) thread.value = withMessage(thread.value, answer.message, answer.seq);
        applyRow(answer.conversation, answer.seq);
      });
    },

    take: (id: string, force = false) => act(`/inbox/conversations/${id}/take`, force ? { force } : {}),
    assign: (id: string, assigneeId: string | null) =>
      act(`/inbox/conversations/${id}/assign`, { assigneeId }),
    handBack: (id: string) => act(`/inbox/conversations/${id}/hand-back`),
    resolve: (id: string) => act(`/inbox/conversations/${id}/resolve`),
    reopen: (id: string) => act(`/inbox/conversations/${id}/reopen`),

    /** Marks the open conversation read up to its newest message, when something is unread. */
    async markRead(): Promise<void> {
      const open = openRow.value;
      if (!open || open.row.unread === 0) return;
      await act(`/inbox/conversations/${open.row.id}/read`, { seq: open.row.lastSeq });
      if (thread.value?.id === open.row.id) thread.value = withReadSeq(thread.value, open.row.lastSeq);
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
