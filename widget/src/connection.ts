import type { Identity, ServerFrame, WireMessage } from '../../server/protocol/frames.ts';
import type { Saved } from './contract.ts';
import { load, save } from './storage.ts';

export type Status = 'connecting' | 'online' | 'offline';

/** A message the visitor typed that the server has not stored yet. */
export interface Outgoing {
  id: string;
  text: string;
  /** Written to the current socket, waiting for its ack. */
  sent?: boolean;
  /** Refused for good (the error code); the visitor may retry. */
  failed?: string;
}

export interface ChatState {
  status: Status;
  /** Every message of the conversation received, in seq order. */
  messages: WireMessage[];
  /** Typed by the visitor, not yet acknowledged; kept in localStorage. */
  outbox: Outgoing[];
  /** Replies being written, by stream id. */
  streams: { id: string; text: string }[];
  typing: boolean;
  /** When offline: the time (ms) of the next attempt. */
  retryAt: number;
  /** The server refused the visitor's identity (the site's integration is wrong). */
  refused: boolean;
}

/** The subset of WebSocket the connection uses, so tests can hand in a fake. */
export interface SocketLike {
  readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const PING_EVERY = 25_000;
const PONG_WITHIN = 10_000;

/**
 * The widget's side of the protocol (server/protocol/README.md):
 * - hello with the stored token and the last seq seen; the server replays what was missed;
 * - typed messages wait in an outbox kept in localStorage and are resent under the same clientId
 *   until acknowledged, so each is stored exactly once;
 * - reconnects with capped exponential backoff and jitter, at once when the page comes back
 *   online or visible, and when a ping goes unanswered (a socket that died during sleep).
 */
export class Connection {
  state: ChatState;
  /** Told about every change of state; the panel re-renders from it. */
  onChange: (state: ChatState) => void = () => {};
  /** Told about each message that is new to this page (not history replayed on load). */
  onMessage: (message: WireMessage) => void = () => {};
  private _socket: SocketLike | undefined;
  private _welcomed = false;
  private _wanted = false;
  private _attempt = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _ping: ReturnType<typeof setInterval> | undefined;
  private _pong: ReturnType<typeof setTimeout> | undefined;
  private _acking: ReturnType<typeof setTimeout> | undefined;
  private _identity: Identity | undefined;
  private _conversation = '';
  /** Messages with a higher seq are new to this page and announced through onMessage. */
  private _baseline = -1;

  constructor(
    private readonly _url: string,
    private readonly _key: string,
    private readonly _open: (url: string) => SocketLike = (url) => new WebSocket(url) as SocketLike,
  ) {
    const saved = load(_key);
    this.state = {
      status: 'offline',
      messages: [],
      outbox: (saved.outbox ?? []).map(({ id, text }) => ({ id, text })),
      streams: [],
      typing: false,
      retryAt: 0,
      refused: false,
    };
  }

  /** The highest seq received. */
  get lastSeq(): number {
    const { messages } = this.state;
    return messages[messages.length - 1]?.seq ?? 0;
  }

  connect(): void {
    this._wanted = true;
    if (!this._socket && !this._timer) this._dial();
  }

  /** Back online, or the page is visible again: retry now, or check that the socket still lives. */
  wake(): void {
    if (!this._wanted) return;
    if (this._socket) {
      this._checkAlive();
      return;
    }
    clearTimeout(this._timer);
    this._timer = undefined;
    this._attempt = 0;
    this._dial();
  }

  /** The browser says the network is gone: show it now rather than after a timeout. */
  lost(): void {
    if (this._socket) this._drop();
  }

  send(text: string): void {
    // Unique per message across tabs and reloads: the server stores a clientId once.
    const random = crypto.getRandomValues(new Uint32Array(2));
    const id = Date.now().toString(36) + random[0]!.toString(36) + random[1]!.toString(36);
    this._update({ outbox: [...this.state.outbox, { id, text }] });
    this._flush();
  }

  /** Sends a message that failed again, under a new id (the server refused the old one). */
  retry(id: string): void {
    const item = this.state.outbox.find((o) => o.id === id);
    if (!item) return;
    this._update({ outbox: this.state.outbox.filter((o) => o !== item) });
    this.send(item.text);
  }

  identify(identity: Identity | undefined): void {
    this._identity = identity;
    if (identity && this._welcomed) this._write({ type: 'identify', ...identity });
  }

  /** Forgets the conversation: a new visitor from now on. */
  reset(): void {
    this._identity = undefined;
    save(this._key, {});
    this._conversation = '';
    this._baseline = -1;
    this._update({ messages: [], outbox: [], streams: [], typing: false, refused: false });
    if (this._socket) this._drop();
  }

  private _dial(): void {
    this._timer = undefined;
    const socket = this._open(this._url);
    this._socket = socket;
    this._update({ status: 'connecting' });
    socket.onopen = () => {
      const hello: Record<string, unknown> = { type: 'hello', token: load(this._key).token };
      if (this.lastSeq > 0) hello['lastSeq'] = this.lastSeq;
      if (this._identity) hello['identity'] = this._identity;
      this._write(hello);
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this._receive(frame);
    };
    socket.onclose = (event) => {
      // A refused token belongs to another site, was forged, or names an identity the site no
      // longer vouches for: start over as a new visitor.
      if (event.code === 1008 && /token/.test(event.reason))
        save(this._key, { ...load(this._key), token: undefined });
      this._drop();
    };
  }

  /** Forgets the socket and plans the next attempt. */
  private _drop(): void {
    const socket = this._socket;
    if (!socket) return;
    this._socket = undefined;
    socket.onclose = socket.onmessage = socket.onopen = null;
    try {
      socket.close();
    } catch {
      // Already closed.
    }
    this._welcomed = false;
    clearInterval(this._ping);
    clearTimeout(this._pong);
    this._pong = undefined;
    const delay = Math.min(30_000, 1000 * 2 ** this._attempt++) * (0.5 + Math.random() / 2);
    if (this._wanted) this._timer = setTimeout(() => this._dial(), delay);
    this._update({
      status: 'offline',
      typing: false,
      streams: [],
      retryAt: Date.now() + delay,
      outbox: this.state.outbox.map(({ id, text, failed }) => (failed ? { id, text, failed } : { id, text })),
    });
  }

  private _checkAlive(): void {
    if (!this._welcomed || this._pong) return;
    this._write({ type: 'ping' });
    this._pong = setTimeout(() => this._drop(), PONG_WITHIN);
  }

  private _flush(): void {
    if (!this._welcomed) return;
    let changed = false;
    const outbox = this.state.outbox.map((item) => {
      if (item.sent || item.failed) return item;
      this._write({ type: 'message', clientId: item.id, text: item.text });
      changed = true;
      return { ...item, sent: true };
    });
    if (changed) this._update({ outbox });
  }

  private _receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome': {
        this._welcomed = true;
        this._attempt = 0;
        let messages = this.state.messages;
        // Another conversation (the visitor was identified), or the server lost messages we
        // have (a restored backup): the server's history is the truth.
        if (frame.conversationId !== this._conversation || frame.lastSeq < this.lastSeq) messages = [];
        if (frame.conversationId !== this._conversation) this._baseline = frame.lastSeq;
        this._conversation = frame.conversationId;
        this._save({ token: frame.token });
        clearInterval(this._ping);
        this._ping = setInterval(() => this._checkAlive(), PING_EVERY);
        this._update({ status: 'online', messages, refused: false });
        this._flush();
        return;
      }
      case 'message':
        this._add(frame.message);
        return;
      case 'ack': {
        const item = this.state.outbox.find((o) => o.id === frame.clientId);
        if (!item) return;
        this._add({
          id: frame.id,
          seq: frame.seq,
          role: 'user',
          text: item.text,
          clientId: item.id,
          createdAt: new Date().toISOString(),
        });
        return;
      }
      case 'typing':
        this._update({ typing: frame.active });
        return;
      case 'delta': {
        const streams = [...this.state.streams];
        const index = streams.findIndex((s) => s.id === frame.streamId);
        const text = index < 0 ? '' : streams[index]!.text;
        // Pieces may overlap after a resume; one that starts past what we have leaves a hole,
        // so it is skipped and the complete reply fills it in.
        if (frame.offset > text.length) return;
        const next = text + frame.text.slice(text.length - frame.offset);
        if (index < 0) streams.push({ id: frame.streamId, text: next });
        else streams[index] = { id: frame.streamId, text: next };
        this._update({ streams });
        return;
      }
      case 'error':
        this._refused(frame);
        return;
      case 'pong':
        clearTimeout(this._pong);
        this._pong = undefined;
        return;
    }
  }

  private _refused(frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (frame.code === 'identity_unverified') {
      console.warn('[causette] identify() was refused:', frame.message);
      this._update({ refused: true });
      return;
    }
    const id = frame.clientId;
    if (!id) return;
    const retriable =
      frame.code === 'rate_limited' || frame.code === 'internal_error' || frame.code === 'hello_required';
    this._update({
      outbox: this.state.outbox.map((item) =>
        item.id !== id
          ? item
          : retriable
            ? { id, text: item.text }
            : { id, text: item.text, failed: frame.code },
      ),
    });
    if (retriable) setTimeout(() => this._flush(), frame.retryAfterMs ?? 2000);
  }

  /** Adds a message once, in seq order, and settles what it answers or acknowledges. */
  private _add(message: WireMessage): void {
    const { messages } = this.state;
    let at = messages.length;
    while (at > 0 && messages[at - 1]!.seq > message.seq) at--;
    const known = messages[at - 1]?.seq === message.seq;
    const next = known ? messages : [...messages.slice(0, at), message, ...messages.slice(at)];
    const outbox = this.state.outbox.filter((o) => o.id !== message.clientId);
    const streams = message.streamId
      ? this.state.streams.filter((s) => s.id !== message.streamId)
      : this.state.streams;
    this._update({
      messages: next,
      outbox,
      streams,
      typing: message.role === 'user' ? this.state.typing : false,
    });
    if (known) return;
    // One ack for a burst (a resume may replay hundreds of messages): the highest seq says it all.
    this._acking ??= setTimeout(() => {
      this._acking = undefined;
      this._write({ type: 'ack', seq: this.lastSeq });
    }, 20);
    if (message.seq > this._baseline) {
      this._save({ at: Date.now() });
      this.onMessage(message);
    }
  }

  private _write(frame: Record<string, unknown>): void {
    if (this._socket?.readyState === 1) this._socket.send(JSON.stringify(frame));
  }

  private _save(patch: Partial<Saved>): void {
    save(this._key, { ...load(this._key), ...patch });
  }

  private _update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    if (patch.outbox) this._save({ outbox: patch.outbox.map(({ id, text }) => ({ id, text })) });
    this.onChange(this.state);
  }
}
