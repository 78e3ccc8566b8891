import type {
  ConsoleClientFrame,
  ConsoleEvent,
  ConsoleServerFrame,
  PresenceFrame,
} from '../../server/protocol/console-events.ts';
import type { UnreadCounts } from '../../server/protocol/console-inbox.ts';

/** The socket as the connection uses it; `browserSocket` adapts a WebSocket. */
export interface SocketLike {
  readonly isOpen: boolean;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketCallbacks {
  open(): void;
  message(data: unknown): void;
  close(code: number): void;
}

export type OpenSocket = (url: string, on: SocketCallbacks) => SocketLike;

export const browserSocket: OpenSocket = (url, on) => {
  const ws = new WebSocket(url);
  ws.onopen = () => on.open();
  ws.onmessage = (event) => on.message(event.data);
  ws.onclose = (event) => on.close(event.code);
  return {
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
};

export interface EventHandlers {
  /** A durable change; called in seq order. */
  event(event: ConsoleEvent): void;
  /** After the replay: `resumed` false means everything must be loaded afresh. */
  welcome(resumed: boolean, seq: number): void;
  unread(counts: UnreadCounts): void;
  presence(presence: PresenceFrame): void;
  /** The session ended or lost this tenant: sign in again. */
  sessionEnded(): void;
  /** Whether the socket is up, for the "reconnecting…" banner. */
  status(online: boolean): void;
}

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/**
 * The console's one websocket: hello with the last applied seq (the server replays what came
 * after it), watch and typing frames, a ping the server must answer, and reconnection with capped
 * exponential backoff and jitter. The seq is the caller's: it says what it has applied.
 */
export class EventsConnection {
  private socket: SocketLike | undefined;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private watching: string | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: EventHandlers,
    private readonly lastSeq: () => number | undefined,
    private readonly open: OpenSocket = browserSocket,
  ) {}

  connect(): void {
    this.stopped = false;
    clearTimeout(this.retryTimer);
    const socket: SocketLike = this.open(this.url, {
      open: () => {
        if (socket !== this.socket) return;
        const lastSeq = this.lastSeq();
        this.send({ type: 'hello', ...(lastSeq !== undefined ? { lastSeq } : {}), watch: this.watching });
        this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
      },
      message: (data) => {
        if (socket !== this.socket || typeof data !== 'string') return;
        let frame: ConsoleServerFrame;
        try {
          frame = JSON.parse(data);
        } catch {
          return;
        }
        this.receive(frame);
      },
      close: (code) => {
        if (socket === this.socket) this.lost(code === 1008);
      },
    });
    this.socket = socket;
  }

  /** Stops for good (sign out, tenant switch). */
  close(): void {
    this.stopped = true;
    this.stopTimers();
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'closing');
  }

  watch(conversationId: string | null): void {
    if (this.watching === conversationId) return;
    this.watching = conversationId;
    this.send({ type: 'watch', conversationId });
  }

  typing(conversationId: string, composing: 'reply' | 'note' | null): void {
    this.send({ type: 'typing', conversationId, composing });
  }

  private receive(frame: ConsoleServerFrame): void {
    switch (frame.type) {
      case 'conversation':
      case 'conversation_removed':
      case 'message':
        this.handlers.event(frame);
        break;
      case 'welcome':
        this.attempts = 0;
        this.handlers.status(true);
        this.handlers.welcome(frame.resumed, frame.seq);
        break;
      case 'unread':
        this.handlers.unread(frame.counts);
        break;
      case 'presence':
        this.handlers.presence(frame);
        break;
      case 'pong':
        clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
        break;
      case 'bye':
        if (frame.reason !== 'shutdown') this.lost(true);
        break;
      case 'error':
        break;
    }
  }

  private ping(): void {
    this.send({ type: 'ping' });
    this.pongTimer ??= setTimeout(() => {
      // No answer: the connection is dead even if the browser has not noticed (sleep, network change).
      this.socket?.close(4000, 'no pong');
      this.lost(false);
    }, PONG_WITHIN_MS);
  }

  private lost(sessionEnded: boolean): void {
    this.stopTimers();
    this.socket = undefined;
    if (this.stopped) return;
    this.handlers.status(false);
    if (sessionEnded) {
      this.stopped = true;
      this.handlers.sessionEnded();
      return;
    }
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempts++);
    this.retryTimer = setTimeout(() => this.connect(), ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private stopTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  private send(frame: ConsoleClientFrame): void {
    if (this.socket?.isOpen) this.socket.send(JSON.stringify(frame));
  }
}
