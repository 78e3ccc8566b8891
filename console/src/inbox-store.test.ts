import { describe, expect, it } from 'vitest';
import type { InboxRow, InboxView } from '../../server/protocol/console-inbox.ts';
import { ReferenceInbox } from '../testing/reference-inbox.ts';
import { createApi } from './api.ts';
import type { ListFilter } from './inbox-rules.ts';
import { createInboxStore, type InboxStore } from './inbox-store.ts';

const ME = 'aaaaaaaa-0000-4000-8000-000000000001';
const MARIE = { id: ME, name: 'Marie' };
const PAUL = { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Paul' };

/** A store connected to the reference server: welcome, then whatever loads it started. */
async function connectedStore(server: ReferenceInbox, filter: ListFilter, open?: string) {
  const store = createInboxStore(createApi('/api/v1', server.fetch), ME);
  store.showList(filter);
  if (open) store.open(open);
  store.handlers.status(true);
  store.handlers.welcome(false, server.seq);
  await settle();
  return store;
}

/** Lets every pending fetch of the store answer (they resolve on microtasks). */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Replays what the server logged after the store's last seq, as a resumed socket does. */
async function resume(store: InboxStore, server: ReferenceInbox) {
  store.handlers.status(true);
  for (const event of server.eventsAfter(store.lastSeq() ?? 0)) store.handlers.event(event);
  store.handlers.welcome(true, server.seq);
  await settle();
}

/** The list as a fresh load shows it, cut at the same place as the store's. */
function freshRows(server: ReferenceInbox, store: InboxStore): InboxRow[] {
  const { boundary, filter } = store.list.value;
  const all = server.list({ ...filter, limit: 100_000 }).items;
  if (!boundary) return all;
  const last = all.findIndex((row) => row.lastActivityAt === boundary.at && row.id === boundary.id);
  return last >= 0
    ? all.slice(0, last + 1)
    : all.filter((row) => Date.parse(row.lastActivityAt) > Date.parse(boundary.at));
}

/** A random but repeatable sequence of changes, like a busy shop's (mulberry32). */
function randomChanges(server: ReferenceInbox, count: number, seed: number) {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < count; i++) {
    const ids = [...server.rows.keys()];
    const id = pick(ids);
    switch (pick(['message', 'message', 'reply', 'status', 'assign', 'create', 'remove', 'read'] as const)) {
      case 'message':
        server.message(id, 'user', `question ${i}`);
        break;
      case 'reply':
        server.message(id, pick(['assistant', 'agent', 'note'] as const), `answer ${i}`);
        break;
      case 'status':
        server.change(id, { status: pick(['open', 'waiting', 'human', 'resolved'] as const) });
        break;
      case 'assign':
        server.change(id, { assignee: pick([null, MARIE, PAUL]), status: 'human' });
        break;
      case 'create':
        server.create({ channel: pick(['widget', 'whatsapp', 'instagram'] as const) });
        break;
      case 'remove':
        if (ids.length > 20) server.remove(id);
        break;
      case 'read':
        server.change(id, { unread: 0 });
        break;
    }
  }
}

function seeded(count: number): ReferenceInbox {
  const server = new ReferenceInbox(ME);
  for (let i = 0; i < count; i++) {
    const row = server.create({ channel: i % 3 === 0 ? 'whatsapp' : 'widget' });
    server.message(row.id, 'user', `bonjour ${i}`);
    if (i % 4 === 0) server.change(row.id, { status: 'waiting', escalated: true });
    if (i % 5 === 0) server.change(row.id, { status: 'human', assignee: i % 10 === 0 ? MARIE : PAUL });
  }
  return server;
}

describe('the inbox store, checked the Zulip way: events applied to stale state equal a fresh load', () => {
  const views: InboxView[] = ['all', 'mine', 'unassigned', 'waiting'];
  for (const view of views) {
    it(`view ${view}: 200 changes while disconnected, then a resume`, async () => {
      const server = seeded(130);
      const store = await connectedStore(server, { view });
      await store.loadMore();
      store.handlers.status(false);
      randomChanges(server, 200, views.indexOf(view) + 1);
      await resume(store, server);
      expect(store.list.value.rows).toEqual(freshRows(server, store));
      expect(store.list.value.rows.length).toBeGreaterThan(0);
    });
  }

  it('with filters (channel whatsapp, status human), changes arriving live one by one', async () => {
    const server = seeded(80);
    const filter: ListFilter = { view: 'all', channel: 'whatsapp', status: 'human' };
    const store = await connectedStore(server, filter);
    for (let i = 0; i < 300; i++) {
      const from = server.seq;
      randomChanges(server, 1, 1000 + i);
      for (const event of server.eventsAfter(from)) store.handlers.event(event);
    }
    expect(store.list.value.rows).toEqual(freshRows(server, store));
  });

  it('a page and events that cross each other converge to the newer state', async () => {
    const server = seeded(30);
    const store = createInboxStore(createApi('/api/v1', server.fetch), ME);
    store.showList({ view: 'all' });
    store.handlers.status(true);
    // The page is read now, but the events made after it arrive before it does.
    const pageSeq = server.seq;
    store.handlers.welcome(false, pageSeq);
    const row = [...server.rows.values()][3]!;
    server.message(row.id, 'user', 'newer than the page');
    server.change(row.id, { status: 'resolved' });
    for (const event of server.eventsAfter(pageSeq)) store.handlers.event(event);
    await settle();
    expect(store.list.value.rows.find((r) => r.id === row.id)).toBeUndefined();
    expect(store.list.value.rows).toEqual(freshRows(server, store));
  });

  it('replaying events already applied changes nothing (a resume from an older seq)', async () => {
    const server = seeded(40);
    const store = await connectedStore(server, { view: 'all' });
    randomChanges(server, 60, 7);
    for (const event of server.eventsAfter(0)) store.handlers.event(event);
    const once = store.list.value.rows;
    for (const event of server.eventsAfter(0)) store.handlers.event(event);
    expect(store.list.value.rows).toEqual(once);
    expect(once).toEqual(freshRows(server, store));
  });

  it('the open conversation: missed messages are fetched when one arrives past a gap', async () => {
    const server = seeded(5);
    const id = [...server.rows.keys()][2]!;
    const store = await connectedStore(server, { view: 'all' }, id);
    expect(store.thread.value?.messages.map((m) => m.seq)).toEqual([1]);
    // Two messages whose events this tab never got, then a third that it does get.
    server.message(id, 'assistant', 'deux');
    server.message(id, 'user', 'trois');
    const from = server.seq;
    server.message(id, 'user', 'quatre');
    for (const event of server.eventsAfter(from)) store.handlers.event(event);
    await settle();
    expect(store.thread.value?.messages.map((m) => m.text)).toEqual(['bonjour 2', 'deux', 'trois', 'quatre']);
    expect(store.thread.value?.missingAfter).toBeNull();
    expect(store.openRow.value?.row).toEqual(server.rows.get(id));
  });

  it('a fresh load on welcome {resumed: false} replaces what the tab had', async () => {
    const server = seeded(20);
    const id = [...server.rows.keys()][0]!;
    const store = await connectedStore(server, { view: 'all' }, id);
    store.handlers.status(false);
    randomChanges(server, 100, 3);
    server.message(id, 'agent', 'pendant la coupure');
    store.handlers.status(true);
    store.handlers.welcome(false, server.seq);
    await settle();
    expect(store.list.value.rows).toEqual(freshRows(server, store));
    expect(store.thread.value?.messages).toEqual(server.messages.get(id));
  });

  it('a view or conversation chosen while offline is loaded once the socket resumes', async () => {
    const server = seeded(12);
    const store = await connectedStore(server, { view: 'all' });
    store.handlers.status(false);
    const id = [...server.rows.keys()][4]!;
    store.showList({ view: 'waiting' });
    store.open(id);
    await settle();
    expect(store.list.value.loaded).toBe(false);
    await resume(store, server);
    expect(store.list.value.rows).toEqual(freshRows(server, store));
    expect(store.thread.value?.messages).toEqual(server.messages.get(id));
  });

  it('tells of a new waiting conversation and of a customer message in one of mine, live only', async () => {
    const server = seeded(10);
    const notices: string[] = [];
    const store = createInboxStore(createApi('/api/v1', server.fetch), ME, (n) =>
      notices.push(`${n.kind}:${n.row.id}`),
    );
    store.showList({ view: 'all' });
    store.handlers.status(true);
    store.handlers.welcome(false, server.seq);
    await settle();
    const [a, b] = [...server.rows.keys()];
    const play = (from: number) => {
      for (const event of server.eventsAfter(from)) store.handlers.event(event);
    };
    let from = server.seq;
    server.change(a!, { status: 'human', assignee: MARIE });
    server.message(a!, 'user', 'encore là ?');
    server.change(b!, { status: 'waiting' });
    server.change(b!, { status: 'waiting', escalated: true });
    play(from);
    expect(notices).toEqual([`message:${a}`, `waiting:${b}`]);
    store.handlers.status(false);
    from = server.seq;
    server.message(a!, 'user', 'pendant la coupure');
    play(from);
    expect(notices).toHaveLength(2);
  });
});
