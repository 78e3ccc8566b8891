import WebSocket from 'ws';
import type { ServerFrame } from '../protocol/frames.ts';

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

export interface ConnectOptions {
  headers?: Record<string, string>;
  /** The client address to connect from (any 127.0.0.x works on loopback). */
  localAddress?: string;
}

/**
 * A widget visitor for tests and benchmarks: a real `ws` client that records every frame and can
 * wait for the next one of a kind.
 */
export class TestVisitor {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  /** Frames already handed to a `next()` caller; each frame is handed out once. */
  private readonly taken = new WeakSet<ServerFrame>();
  private waiters: { test: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      const waiter = this.waiters.find((w) => w.test(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        this.taken.add(frame);
        waiter.resolve(frame);
      }
    });
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      for (const waiter of this.closeWaiters.splice(0)) waiter();
    });
    socket.on('error', () => {});
  }

  /**
   * Opens a socket to /ws?tenant=SLUG; rejects with the HTTP status when the handshake is refused.
   * `localAddress` (127.0.0.x) makes the visitor come from another client address.
   */
  static connect(wsUrl: string, tenant: string, options: ConnectOptions = {}): Promise<TestVisitor> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/ws?tenant=${encodeURIComponent(tenant)}`, {
        headers: options.headers ?? {},
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
      const visitor = new TestVisitor(socket);
      socket.once('open', () => resolve(visitor));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => reject(new HandshakeRefused(response.statusCode ?? 0, body)));
      });
      socket.once('error', reject);
    });
  }

  /** Connects and completes the hello; resolves with the welcome frame. */
  static async greet(
    wsUrl: string,
    tenant: string,
    hello: { token?: string; lastSeq?: number } = {},
    options: ConnectOptions = {},
  ): Promise<{ visitor: TestVisitor; welcome: FrameOf<'welcome'> }> {
    const visitor = await TestVisitor.connect(wsUrl, tenant, options);
    const welcome = visitor.next('welcome');
    visitor.send({ type: 'hello', ...hello });
    return { visitor, welcome: await welcome };
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The first frame of this type (and matching `test`) not yet handed out, whether it has already
   * arrived or arrives within `timeoutMs`.
   */
  next<T extends ServerFrame['type']>(
    type: T,
    test: (frame: FrameOf<T>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<FrameOf<T>> {
    const matches = (frame: ServerFrame) => frame.type === type && test(frame as FrameOf<T>);
    const arrived = this.frames.find((frame) => !this.taken.has(frame) && matches(frame));
    if (arrived) {
      this.taken.add(arrived);
      return Promise.resolve(arrived as FrameOf<T>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `no "${type}" frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      const done = (frame: ServerFrame) => {
        clearTimeout(timer);
        resolve(frame as FrameOf<T>);
      };
      this.waiters.push({ test: matches, resolve: done });
    });
  }

  /** Sends a message and waits for the bot's reply to it. */
  async ask(text: string, clientId = `c${Math.random().toString(36).slice(2)}`) {
    const ack = this.next('ack', (frame) => frame.clientId === clientId);
    this.send({ type: 'message', clientId, text });
    const acked = await ack;
    const reply = await this.next(
      'message',
      (frame) => frame.message.role === 'assistant' && frame.message.seq > acked.seq,
    );
    return { ack: acked, reply: reply.message };
  }

  closed(): Promise<void> {
    if (this.closeCode !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): Promise<void> {
    const closed = this.closed();
    this.socket.close();
    return closed;
  }
}

export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake refused with HTTP ${status}: ${body}`);
  }
}
