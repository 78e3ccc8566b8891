import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket, installLocalStorage } from '../testing/test-doubles.ts';
import { Connection } from './panel.tsx';

const KEY = 'causette:shop';
let store: Map<string, string>;

function connection() {
  const c = new Connection('ws://x/ws?tenant=shop', KEY, (url) => new FakeSocket(url));
  c.connect();
  return c;
}
const welcome = (lastSeq = 0, conversationId = 'conv-1') => ({
  type: 'welcome',
  protocol: 1,
  token: 'tok-1',
  visitorId: 'v',
  conversationId,
  lastSeq,
});
const message = (seq: number, role = 'assistant', extra: Record<string, unknown> = {}) => ({
  type: 'message',
  message: { id: `m${seq}`, seq, role, text: `text ${seq}`, createdAt: '2026-01-01T00:00:00Z', ...extra },
});
const saved = () => JSON.parse(store.get(KEY) ?? '{}');

beforeEach(() => {
  vi.useFakeTimers();
  store = installLocalStorage();
  FakeSocket.opened = [];
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the handshake and resume', () => {
  it('says hello with the stored token, keeps the new one, and resumes after the last seq it has', () => {
    store.set(KEY, JSON.stringify({ token: 'old-token' }));
    const c = connection();
    const first = FakeSocket.last();
    first.open();
    expect(first.framesOf('hello')).toEqual([{ type: 'hello', token: 'old-token' }]);
    first.receive(welcome());
    first.receive(message(1, 'user'));
    first.receive(message(2));
    expect(saved().token).toBe('tok-1');
    first.drop();
    vi.advanceTimersByTime(30_000);
    const second = FakeSocket.last();
    expect(second).not.toBe(first);
    second.open();
    expect(second.framesOf('hello')).toEqual([{ type: 'hello', token: 'tok-1', lastSeq: 2 }]);
    second.receive(welcome(3));
    second.receive(message(3));
    expect(c.state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps each message once, in seq order, acknowledges it, and announces only the new ones', () => {
    const c = connection();
    const announced: number[] = [];
    c.onMessage = (m) => announced.push(m.seq);
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome(2));
    socket.receive(message(2));
    socket.receive(message(1, 'user'));
    socket.receive(message(2));
    socket.receive(message(3));
    expect(c.state.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    // History that was already there (seq ≤ 2 at welcome) is not news; seq 3 is.
    expect(announced).toEqual([3]);
    // One ack for the burst, naming the highest seq.
    expect(socket.framesOf('ack')).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(socket.framesOf('ack').map((f) => f['seq'])).toEqual([3]);
    socket.receive(message(4));
    vi.advanceTimersByTime(20);
    expect(socket.framesOf('ack').map((f) => f['seq'])).toEqual([3, 4]);
  });

  it('starts over as a new visitor when the server refuses the token', () => {
    store.set(KEY, JSON.stringify({ token: 'forged', outbox: [{ id: 'a', text: 'hi' }] }));
    connection();
    FakeSocket.last().open();
    FakeSocket.last().drop(1008, 'invalid token');
    expect(saved().token).toBeUndefined();
    expect(saved().outbox).toEqual([{ id: 'a', text: 'hi' }]);
  });

  it('takes the server’s history when it names another conversation (the visitor was identified)', () => {
    const c = connection();
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome());
    socket.receive(message(1));
    socket.receive(welcome(5, 'conv-2'));
    expect(c.state.messages).toEqual([]);
  });
});

describe('the outbox', () => {
  it('keeps messages typed offline in localStorage, across a reload, and sends each under one clientId until acked', () => {
    const before = connection();
    before.send('Bonjour');
    before.send('Ma commande ?');
    expect(saved().outbox.map((o: { text: string }) => o.text)).toEqual(['Bonjour', 'Ma commande ?']);
    const [first, second] = saved().outbox as { id: string }[];

    // The page is reloaded while still offline: the new page has the same outbox.
    const c = connection();
    expect(c.state.outbox.map((o) => o.id)).toEqual([first!.id, second!.id]);
    const socket = FakeSocket.last();
    socket.open();
    expect(socket.framesOf('message')).toEqual([]);
    socket.receive(welcome());
    expect(socket.framesOf('message').map((f) => f['clientId'])).toEqual([first!.id, second!.id]);
    socket.receive({ type: 'ack', clientId: first!.id, seq: 1, id: 'm1', duplicate: false });
    expect(saved().outbox.map((o: { id: string }) => o.id)).toEqual([second!.id]);
    expect(c.state.messages.map((m) => m.text)).toEqual(['Bonjour']);

    // The connection drops before the second ack: it is sent again, under the same id.
    socket.drop();
    vi.advanceTimersByTime(30_000);
    const again = FakeSocket.last();
    again.open();
    again.receive(welcome(1));
    expect(again.framesOf('message').map((f) => f['clientId'])).toEqual([second!.id]);
    again.receive({ type: 'ack', clientId: second!.id, seq: 2, id: 'm2', duplicate: true });
    expect(c.state.outbox).toEqual([]);
    expect(saved().outbox).toEqual([]);
  });

  it('retries a rate-limited message when told, and marks one refused for good as failed', () => {
    const c = connection();
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome());
    c.send('one');
    c.send('two');
    const [one, two] = c.state.outbox;
    socket.receive({
      type: 'error',
      code: 'rate_limited',
      message: '',
      clientId: one!.id,
      retryAfterMs: 1500,
    });
    socket.receive({ type: 'error', code: 'frame_too_large', message: '', clientId: two!.id });
    expect(c.state.outbox.map((o) => o.failed)).toEqual([undefined, 'frame_too_large']);
    vi.advanceTimersByTime(1_499);
    expect(socket.framesOf('message').filter((f) => f['clientId'] === one!.id)).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(socket.framesOf('message').filter((f) => f['clientId'] === one!.id)).toHaveLength(2);
    c.retry(two!.id);
    const resent = c.state.outbox.find((o) => o.text === 'two');
    expect(resent?.id).not.toBe(two!.id);
    expect(resent?.failed).toBeUndefined();
  });
});

describe('reconnecting', () => {
  it('backs off exponentially with jitter, capped at 30 s, and retries at once when woken', () => {
    const c = connection();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const socket = FakeSocket.last();
      const count = FakeSocket.opened.length;
      socket.drop();
      let waited = 0;
      while (FakeSocket.opened.length === count) {
        vi.advanceTimersByTime(250);
        waited += 250;
      }
      delays.push(waited);
    }
    // Math.random() is 0.5: three quarters of 1, 2, 4, 8, 16, 30, 30 seconds.
    expect(delays).toEqual([750, 1500, 3000, 6000, 12_000, 22_500, 22_500]);
    FakeSocket.last().drop();
    const count = FakeSocket.opened.length;
    c.wake();
    expect(FakeSocket.opened.length).toBe(count + 1);
  });

  it('pings a quiet socket and drops it when no pong comes (a phone that slept)', () => {
    connection();
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome());
    vi.advanceTimersByTime(25_000);
    expect(socket.framesOf('ping')).toHaveLength(1);
    socket.receive({ type: 'pong' });
    vi.advanceTimersByTime(25_000);
    expect(socket.framesOf('ping')).toHaveLength(2);
    const count = FakeSocket.opened.length;
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.opened.length).toBe(count + 1);
  });

  it('shows the network as lost as soon as the browser says so', () => {
    const c = connection();
    FakeSocket.last().open();
    FakeSocket.last().receive(welcome());
    expect(c.state.status).toBe('online');
    c.lost();
    expect(c.state.status).toBe('offline');
  });
});

describe('replies being written', () => {
  it('joins pieces by offset, ignores overlaps, skips holes, and gives way to the complete reply', () => {
    const c = connection();
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome());
    socket.receive({ type: 'typing', active: true });
    socket.receive({ type: 'delta', streamId: 's', text: 'La livr', offset: 0 });
    socket.receive({ type: 'delta', streamId: 's', text: 'livraison ', offset: 3 });
    expect(c.state.streams).toEqual([{ id: 's', text: 'La livraison ' }]);
    socket.receive({ type: 'delta', streamId: 's', text: 'jours', offset: 40 });
    expect(c.state.streams).toEqual([{ id: 's', text: 'La livraison ' }]);
    socket.receive(message(1, 'assistant', { streamId: 's', text: 'La livraison prend 3 jours.' }));
    expect(c.state.streams).toEqual([]);
    expect(c.state.typing).toBe(false);
    expect(c.state.messages[0]?.text).toBe('La livraison prend 3 jours.');
  });

  it('forgets a half-written reply on disconnect; the complete one comes with the resume', () => {
    const c = connection();
    const socket = FakeSocket.last();
    socket.open();
    socket.receive(welcome());
    socket.receive({ type: 'delta', streamId: 's', text: 'La liv', offset: 0 });
    socket.drop();
    expect(c.state.streams).toEqual([]);
    vi.advanceTimersByTime(30_000);
    FakeSocket.last().open();
    FakeSocket.last().receive(welcome(1));
    FakeSocket.last().receive(
      message(1, 'assistant', { streamId: 's', text: 'La livraison prend 3 jours.' }),
    );
    expect(c.state.messages.map((m) => m.text)).toEqual(['La livraison prend 3 jours.']);
  });
});

describe('identity', () => {
  it('sends the identity with the hello, or as a frame once connected', () => {
    const c = connection();
    c.identify({ userId: 'u1', hash: 'h' });
    FakeSocket.last().open();
    expect(FakeSocket.last().framesOf('hello')[0]).toMatchObject({ identity: { userId: 'u1', hash: 'h' } });
    FakeSocket.last().receive(welcome());
    c.identify({ userId: 'u2', hash: 'h2' });
    expect(FakeSocket.last().framesOf('identify')).toEqual([{ type: 'identify', userId: 'u2', hash: 'h2' }]);
  });

  it('reset forgets the token, the outbox and the messages', () => {
    const c = connection();
    FakeSocket.last().open();
    FakeSocket.last().receive(welcome());
    FakeSocket.last().receive(message(1));
    c.send('private');
    c.reset();
    expect(saved()).toEqual({ outbox: [] });
    expect(c.state.messages).toEqual([]);
  });
});
