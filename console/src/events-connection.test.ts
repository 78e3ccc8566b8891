import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EventHandlers, EventsConnection, type SocketCallbacks } from './events-connection.ts';

class Socket {
  static all: Socket[] = [];
  isOpen = false;
  sent: Record<string, unknown>[] = [];
  closed = false;
  constructor(readonly on: SocketCallbacks) {
    Socket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.isOpen = true;
    this.on.open();
  }
  receive(frame: unknown) {
    this.on.message(JSON.stringify(frame));
  }
  drop(code = 1006) {
    this.isOpen = false;
    this.on.close(code);
  }
  static last() {
    return Socket.all.at(-1)!;
  }
}

function handlers() {
  const log: string[] = [];
  const h: EventHandlers = {
    event: (e) => log.push(`event:${e.seq}`),
    welcome: (resumed, seq) => log.push(`welcome:${resumed}:${seq}`),
    unread: (counts) => log.push(`unread:${counts.all}`),
    presence: (p) => log.push(`presence:${p.conversationId}`),
    sessionEnded: () => log.push('session-ended'),
    status: (up) => log.push(`status:${up}`),
  };
  return { log, h };
}

let seq: number | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  Socket.all = [];
  seq = undefined;
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const connect = (h: EventHandlers) => {
  const connection = new EventsConnection(
    'ws://x/api/v1/inbox/events',
    h,
    () => seq,
    (_url, on) => new Socket(on),
  );
  connection.connect();
  return connection;
};

describe('the events connection', () => {
  it('says hello without a seq at first, then resumes from the last applied one, with what it watches', () => {
    const { h } = handlers();
    const connection = connect(h);
    Socket.last().open();
    expect(Socket.last().sent).toEqual([{ type: 'hello', watch: null }]);
    connection.watch('c-1');
    expect(Socket.last().sent.at(-1)).toEqual({ type: 'watch', conversationId: 'c-1' });
    seq = 42;
    Socket.last().drop();
    vi.advanceTimersByTime(1_000);
    Socket.last().open();
    expect(Socket.last().sent[0]).toEqual({ type: 'hello', lastSeq: 42, watch: 'c-1' });
  });

  it('hands events, welcome, counts and presence over in order', () => {
    const { log, h } = handlers();
    connect(h);
    const socket = Socket.last();
    socket.open();
    socket.receive({ type: 'conversation', seq: 5, conversation: {} });
    socket.receive({ type: 'message', seq: 6, conversationId: 'c', message: {} });
    socket.receive({ type: 'welcome', protocol: 1, seq: 6, resumed: true, userId: 'u', tenantId: 't' });
    socket.receive({ type: 'unread', counts: { mine: 0, unassigned: 0, all: 3, waiting: 1 } });
    socket.receive({ type: 'presence', conversationId: 'c', viewers: [], typing: [], visitor: {} });
    socket.on.message('not json');
    expect(log).toEqual(['event:5', 'event:6', 'status:true', 'welcome:true:6', 'unread:3', 'presence:c']);
  });

  it('reconnects with capped exponential backoff, and back to the start after a welcome', () => {
    const { h } = handlers();
    connect(h);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = Socket.all.length;
      Socket.last().drop();
      let waited = 0;
      while (Socket.all.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    // With jitter fixed at the middle: 3/4 of 0.5 s, 1 s, 2 s… up to 30 s.
    expect(delays).toEqual([400, 800, 1500, 3000, 6000, 12000, 22500, 22500]);
    Socket.last().open();
    Socket.last().receive({
      type: 'welcome',
      protocol: 1,
      seq: 1,
      resumed: false,
      userId: 'u',
      tenantId: 't',
    });
    Socket.last().drop();
    vi.advanceTimersByTime(400);
    expect(Socket.all).toHaveLength(10);
  });

  it('reconnects when a ping goes unanswered, as after a laptop sleeps', () => {
    const { log, h } = handlers();
    connect(h);
    Socket.last().open();
    vi.advanceTimersByTime(25_000);
    expect(Socket.last().sent.at(-1)).toEqual({ type: 'ping' });
    Socket.last().receive({ type: 'pong' });
    vi.advanceTimersByTime(25_000 + 9_999);
    expect(Socket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(Socket.all[0]!.closed).toBe(true);
    expect(log).toContain('status:false');
    vi.advanceTimersByTime(500);
    expect(Socket.all).toHaveLength(2);
  });

  it('stops and asks for a sign-in when the session ended (bye, then 1008)', () => {
    const { log, h } = handlers();
    connect(h);
    Socket.last().open();
    Socket.last().receive({ type: 'bye', reason: 'session_ended' });
    Socket.last().drop(1008);
    vi.advanceTimersByTime(60_000);
    expect(Socket.all).toHaveLength(1);
    expect(log.filter((line) => line === 'session-ended')).toHaveLength(1);
  });

  it('a shutdown bye is followed by a reconnect and a resume', () => {
    const { h } = handlers();
    connect(h);
    Socket.last().open();
    Socket.last().receive({ type: 'bye', reason: 'shutdown' });
    Socket.last().drop(1001);
    vi.advanceTimersByTime(1_000);
    expect(Socket.all).toHaveLength(2);
  });
});
