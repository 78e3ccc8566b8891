import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ConversationEvent, ConversationEvents } from '../../bot/conversation/conversation-events.ts';
import {
  messagesAfter,
  recentMessages,
  type StoredMessage,
} from '../../bot/conversation/conversation-store.ts';
import type { TurnHandler } from '../../bot/conversation/turn-handler.ts';
import {
  openVisitorConversation,
  recordVisitorAck,
  setVisitorProfile,
} from '../../bot/conversation/visitor-conversation.ts';
import type { Logger } from '../../bot/logger.ts';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { signVisitorToken, type VisitorIdentity, verifyVisitorToken } from '../auth/visitor-token.ts';
import {
  type ClientFrame,
  type ErrorCode,
  type HelloFrame,
  type Identity,
  PROTOCOL_VERSION,
  type SendMessageFrame,
  type ServerFrame,
} from '../protocol/frames.ts';
import { parseClientFrame } from '../protocol/parse-frame.ts';
import type { PublicTenant } from '../tenant-directory.ts';
import { identityVerified, secretFingerprint, userConversationKey } from './identity.ts';
import { BusyError, type Limiter } from './limiter.ts';
import { toWireMessage } from './to-wire-message.ts';
import type { BucketMap, TokenBucket } from './token-bucket.ts';

export interface VisitorSessionDeps {
  db: Db;
  turns: TurnHandler;
  events: ConversationEvents;
  visitorTokenKey: Buffer;
  maxFrameBytes: number;
  /** Messages sent to a client that has none (a new page): the newest this many. */
  historyLimit: number;
  /** Missed messages are read and sent this many at a time. */
  replayPage: number;
  /** Bytes queued on a socket beyond which the visitor is considered gone. */
  maxBufferedBytes: number;
  /** This socket's budget of frames of any kind. */
  frames: TokenBucket;
  /** Each visitor's budget of messages, shared by all of their sockets. */
  messages: BucketMap;
  /** Database work of a hello waits its turn here. */
  hellos: Limiter;
  /** Writes that should finish before the database closes (acks on the way out). */
  track: (write: Promise<unknown>) => void;
  log: Logger;
}

/** Close codes, as in RFC 6455 and the protocol README. */
export const CloseCode = {
  goingAway: 1001,
  policy: 1008,
  internal: 1011,
  tryAgainLater: 1013,
} as const;

/** Above this many queued bytes, reply pieces are merged instead of sent one by one. */
const COALESCE_ABOVE = 64 * 1024;
/** A flood of refused frames beyond this closes the socket. */
const MAX_STRIKES = 100;
/** Acknowledged seqs are written at most this often per socket (and once more at the end). */
const ACK_WRITE_EVERY_MS = 10_000;

/**
 * One visitor's websocket: the hello handshake and identity, resume from a sequence number,
 * sending messages, and forwarding the conversation's events. Frames are handled strictly in
 * arrival order; each message reaches the visitor once and in seq order, whatever order events
 * arrive in (a gap is filled from the database).
 */
export class VisitorSession {
  private conversationId: string | undefined;
  private identity: VisitorIdentity | undefined;
  private lastSentSeq = 0;
  private greeting = false;
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  /** Live events that arrive while the missed messages are being read are held here. */
  private held: ConversationEvent[] | undefined;
  /**
   * How many of the visitor's own messages are being stored, and the stored messages that arrive
   * meanwhile: the protocol promises a message's ack before its reply, and the reply of a bot that
   * answers at once is announced by the database the moment it is committed.
   */
  private storing = 0;
  private beforeAck: StoredMessage[] = [];
  private queue: Promise<void> = Promise.resolve();
  private catchingUp = false;
  private catchUpAgain = false;
  /** Per reply being written: how many characters of it this visitor has. */
  private readonly streamed = new Map<string, number>();
  /** Reply pieces held back while the socket is congested. */
  private readonly pending = new Map<string, string>();
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private ackedSeq = 0;
  private writtenAckSeq = 0;
  private ackWrittenAt = 0;
  private strikes = 0;
  private warnedAt = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly tenant: PublicTenant,
    private readonly deps: VisitorSessionDeps,
  ) {}

  /** Called for every websocket message, synchronously from the socket's listener. */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.closed) return;
    const wait = this.deps.frames.take();
    if (wait > 0) {
      this.limited(wait);
      return;
    }
    this.strikes = 0;
    if (isBinary) {
      this.sendError('binary_not_supported', 'Frames must be text (JSON), not binary');
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseClientFrame(text, this.deps.maxFrameBytes);
    if (!parsed.ok) {
      this.sendError(parsed.code, parsed.message, parsed.clientId);
      return;
    }
    const frame = parsed.frame;
    // Acks and pings need no database and nothing before them: answered at once.
    if (frame.type === 'ack' || frame.type === 'ping') {
      if (!this.conversationId) this.sendError('hello_required', 'Send a "hello" frame first');
      else if (frame.type === 'ping') this.send({ type: 'pong' });
      else this.ack(frame.seq);
      return;
    }
    this.queue = this.queue.then(() => this.handle(frame).catch((error: unknown) => this.fail(error, frame)));
  }

  /** Stops forwarding; called when the socket closes. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.pendingTimer);
    this.writeAck(true);
  }

  /** Tells the visitor the server is going away and closes the socket. */
  shutdown(): void {
    if (this.closed) return;
    this.send({ type: 'bye', reason: 'shutdown' });
    this.socket.close(CloseCode.goingAway, 'server shutting down');
    this.dispose();
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    if (frame.type === 'hello') return this.hello(frame);
    if (!this.conversationId) {
      const clientId = frame.type === 'message' ? frame.clientId : undefined;
      this.sendError('hello_required', 'Send a "hello" frame first', clientId);
      return;
    }
    if (frame.type === 'message') return this.message(frame);
    if (frame.type === 'identify') return this.identify(frame);
  }

  private async hello(frame: HelloFrame): Promise<void> {
    if (this.conversationId || this.greeting) {
      this.sendError('already_greeted', 'This connection has already sent "hello"');
      return;
    }
    this.greeting = true;
    let identity: VisitorIdentity = { tenantId: this.tenant.id, visitorId: randomUUID() };
    if (frame.token !== undefined) {
      const known = verifyVisitorToken(this.deps.visitorTokenKey, frame.token);
      if (!known || known.tenantId !== this.tenant.id || !this.userStillVouched(known)) {
        this.sendError('invalid_token', 'This visitor token is not valid for this site; start a new session');
        this.socket.close(CloseCode.policy, 'invalid token');
        this.dispose();
        return;
      }
      identity = known;
    }
    const claim = frame.identity ? this.vet(frame.identity) : undefined;
    if (claim?.verified) identity = this.asUser(identity, claim.identity.userId);
    try {
      // All of a hello's database work waits its turn, so a storm of them cannot starve the
      // visitors already chatting of database connections.
      await this.deps.hellos.run(async () => {
        // A visitor who left while waiting (a storm's sockets often do) costs the database nothing.
        if (this.closed) return;
        const conversation = await withTenant(this.deps.db, this.tenant.id, async (tx) => {
          const opened = await openVisitorConversation(
            tx,
            this.tenant.id,
            identity.visitorId,
            identity.user && userConversationKey(identity.user.id),
          );
          if (claim?.accepted)
            await setVisitorProfile(tx, opened.id, profileOf(claim.identity, claim.verified));
          return opened;
        });
        if (this.closed) return;
        const resumeAfter = frame.lastSeq ? Math.min(frame.lastSeq, conversation.lastSeq) : undefined;
        await this.start(identity, conversation, resumeAfter);
      });
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      this.socket.close(CloseCode.tryAgainLater, 'server busy');
      this.dispose();
      return;
    }
    if (claim?.accepted && !this.closed) {
      this.send({ type: 'identified', userId: claim.identity.userId, verified: claim.verified });
    }
  }

  /** (Re)starts forwarding a conversation: welcome, missed messages, replies being written. */
  private async start(
    identity: VisitorIdentity,
    conversation: { id: string; lastSeq: number },
    resumeAfter: number | undefined,
  ): Promise<void> {
    this.unsubscribe?.();
    this.identity = identity;
    this.conversationId = conversation.id;
    this.streamed.clear();
    this.pending.clear();
    this.held = [];
    this.unsubscribe = this.deps.events.subscribe(conversation.id, (event) => this.forward(event));
    const welcome: ServerFrame = {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      token: signVisitorToken(this.deps.visitorTokenKey, identity),
      visitorId: identity.visitorId,
      conversationId: conversation.id,
      lastSeq: conversation.lastSeq,
    };
    if (identity.user) welcome.userId = identity.user.id;
    this.send(welcome);
    if (resumeAfter === undefined && conversation.lastSeq === 0) {
      this.lastSentSeq = 0;
    } else if (resumeAfter === undefined) {
      const newest = await withTenant(this.deps.db, this.tenant.id, (tx) =>
        recentMessages(tx, conversation.id, this.deps.historyLimit),
      );
      this.lastSentSeq = (newest[0]?.seq ?? 1) - 1;
      for (const message of newest) this.sendMessage(message);
    } else {
      this.lastSentSeq = resumeAfter;
      // Anything stored after the conversation was opened arrives as a held event.
      if (resumeAfter < conversation.lastSeq) await this.readMissed();
    }
    if (this.closed) return;
    for (const stream of this.deps.events.streaming(conversation.id)) {
      this.forwardDelta({ streamId: stream.streamId, text: stream.text, offset: 0 });
    }
    const held = this.held;
    this.held = undefined;
    for (const event of held) this.forward(event);
  }

  private async identify(frame: Identity): Promise<void> {
    const claim = this.vet(frame);
    if (!claim.accepted) return;
    const identity = this.identity!;
    if (claim.verified && identity.user?.id !== frame.userId) {
      const user = this.asUser(identity, frame.userId);
      const conversation = await withTenant(this.deps.db, this.tenant.id, async (tx) => {
        const opened = await openVisitorConversation(
          tx,
          this.tenant.id,
          identity.visitorId,
          userConversationKey(frame.userId),
        );
        await setVisitorProfile(tx, opened.id, profileOf(frame, true));
        return opened;
      });
      if (this.closed) return;
      const same = conversation.id === this.conversationId;
      await this.start(user, conversation, same ? this.lastSentSeq : undefined);
    } else {
      await withTenant(this.deps.db, this.tenant.id, (tx) =>
        setVisitorProfile(tx, this.conversationId!, profileOf(frame, claim.verified)),
      );
    }
    this.send({ type: 'identified', userId: frame.userId, verified: claim.verified });
  }

  /**
   * Checks a site's identify(): verified with a valid hash; without one, refused when the tenant
   * requires verification, else kept as an unverified claim that opens no other conversation.
   */
  private vet(identity: Identity): { identity: Identity; verified: boolean; accepted: boolean } {
    const verified = identityVerified(this.tenant.identity.secret, identity);
    if (!verified && (this.tenant.identity.required || identity.hash !== undefined)) {
      this.sendError(
        'identity_unverified',
        identity.hash === undefined
          ? 'This site requires identify() to carry the HMAC of the user id'
          : 'The identity hash does not match this site’s identity secret',
      );
      return { identity, verified, accepted: false };
    }
    return { identity, verified, accepted: true };
  }

  private asUser(identity: VisitorIdentity, userId: string): VisitorIdentity {
    return {
      tenantId: identity.tenantId,
      visitorId: identity.visitorId,
      user: { id: userId, secret: secretFingerprint(this.tenant.identity.secret!) },
    };
  }

  /** A token naming a verified user holds only while the site's secret is the one that vouched. */
  private userStillVouched(identity: VisitorIdentity): boolean {
    if (!identity.user) return true;
    const secret = this.tenant.identity.secret;
    return secret !== undefined && secretFingerprint(secret) === identity.user.secret;
  }

  private async message(frame: SendMessageFrame): Promise<void> {
    const text = frame.text.trim();
    if (text.length === 0) {
      this.sendError('empty_message', 'A message needs some text', frame.clientId);
      return;
    }
    const wait = this.deps.messages.take(`${this.tenant.id}:${this.identity!.visitorId}`);
    if (wait > 0) {
      this.send({
        type: 'error',
        code: 'rate_limited',
        message: 'Too many messages; this one can be sent again shortly',
        clientId: frame.clientId,
        retryAfterMs: wait,
      });
      return;
    }
    this.storing++;
    try {
      await this.deps.turns.receive(
        {
          tenantId: this.tenant.id,
          conversationId: this.conversationId!,
          channel: 'widget',
          text,
          clientId: frame.clientId,
        },
        ({ message, duplicate }) => {
          this.releaseStored(message.seq);
          this.send({ type: 'ack', clientId: frame.clientId, seq: message.seq, id: message.id, duplicate });
        },
      );
    } finally {
      this.storing--;
      if (this.storing === 0) this.releaseStored(Number.POSITIVE_INFINITY);
    }
  }

  /** Sends the messages held while the visitor's own were being stored, up to `seq`. */
  private releaseStored(seq: number): void {
    const ready = this.beforeAck.filter((message) => message.seq <= seq).sort((a, b) => a.seq - b.seq);
    if (ready.length === 0) return;
    this.beforeAck = this.beforeAck.filter((message) => message.seq > seq);
    for (const message of ready) this.sendMessage(message);
  }

  private forward(event: ConversationEvent): void {
    if (this.closed) return;
    if (this.held) {
      this.held.push(event);
      return;
    }
    switch (event.type) {
      case 'message':
        if (this.storing > 0) this.beforeAck.push(event.message);
        else this.sendMessage(event.message);
        return;
      case 'typing':
        this.send({ type: 'typing', active: event.active });
        return;
      case 'delta':
        this.forwardDelta(event);
        return;
      case 'resync':
        this.catchUp();
        return;
    }
  }

  /** Sends each message once and in seq order; a message past a gap first fetches the gap. */
  private sendMessage(message: StoredMessage): void {
    if (message.seq <= this.lastSentSeq) return;
    if (message.seq > this.lastSentSeq + 1) {
      this.catchUp();
      return;
    }
    this.lastSentSeq = message.seq;
    const streamId = message.metadata['stream_id'];
    if (typeof streamId === 'string') {
      this.streamed.delete(streamId);
      this.pending.delete(streamId);
    }
    this.send({ type: 'message', message: toWireMessage(message) });
  }

  /** Reads and sends whatever is stored after the last seq sent, a page at a time. */
  private catchUp(): void {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = true;
    this.queue = this.queue
      .then(async () => {
        do {
          this.catchUpAgain = false;
          await this.readMissed();
        } while (this.catchUpAgain && !this.closed);
      })
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'catching up a conversation failed'))
      .finally(() => {
        this.catchingUp = false;
      });
  }

  private async readMissed(): Promise<void> {
    const conversationId = this.conversationId!;
    for (;;) {
      const missed = await withTenant(this.deps.db, this.tenant.id, (tx) =>
        messagesAfter(tx, conversationId, this.lastSentSeq, this.deps.replayPage),
      );
      if (this.closed || conversationId !== this.conversationId) return;
      for (const message of missed) this.sendMessage(message);
      if (missed.length < this.deps.replayPage) return;
    }
  }

  private forwardDelta(event: { streamId: string; text: string; offset?: number }): void {
    const have = this.streamed.get(event.streamId) ?? 0;
    const offset = event.offset ?? have;
    // Already sent, or past a hole this visitor cannot fill: the complete reply will.
    if (offset + event.text.length <= have || offset > have) return;
    const text = event.text.slice(have - offset);
    this.streamed.set(event.streamId, have + text.length);
    if (this.pending.has(event.streamId) || this.socket.bufferedAmount > COALESCE_ABOVE) {
      // The visitor reads slowly: merge the pieces and send them together once the socket drains.
      const merged = (this.pending.get(event.streamId) ?? '') + text;
      if (merged.length > this.deps.maxBufferedBytes) {
        this.gone();
        return;
      }
      this.pending.set(event.streamId, merged);
      this.pendingTimer ??= setTimeout(() => this.flushPending(), 50);
      return;
    }
    this.send({ type: 'delta', streamId: event.streamId, text, offset: have });
  }

  private flushPending(): void {
    this.pendingTimer = undefined;
    if (this.closed) return;
    if (this.socket.bufferedAmount > COALESCE_ABOVE) {
      this.pendingTimer = setTimeout(() => this.flushPending(), 50);
      return;
    }
    for (const [streamId, text] of this.pending) {
      const have = this.streamed.get(streamId) ?? text.length;
      this.send({ type: 'delta', streamId, text, offset: have - text.length });
    }
    this.pending.clear();
  }

  private ack(seq: number): void {
    if (seq <= this.ackedSeq || seq > this.lastSentSeq) return;
    this.ackedSeq = seq;
    this.writeAck(false);
  }

  private writeAck(final: boolean): void {
    const conversationId = this.conversationId;
    if (!conversationId || this.ackedSeq <= this.writtenAckSeq) return;
    if (!final && Date.now() - this.ackWrittenAt < ACK_WRITE_EVERY_MS) return;
    const seq = this.ackedSeq;
    this.writtenAckSeq = seq;
    this.ackWrittenAt = Date.now();
    this.deps.track(
      withTenant(this.deps.db, this.tenant.id, (tx) => recordVisitorAck(tx, conversationId, seq)).catch(
        (error: unknown) => this.deps.log.warn({ err: error }, 'recording a visitor ack failed'),
      ),
    );
  }

  /** A frame over the socket's budget: dropped, said once a second, and a flood ends the socket. */
  private limited(wait: number): void {
    if (++this.strikes >= MAX_STRIKES) {
      this.socket.close(CloseCode.policy, 'rate limit exceeded');
      this.dispose();
      return;
    }
    if (Date.now() - this.warnedAt < 1000) return;
    this.warnedAt = Date.now();
    this.send({
      type: 'error',
      code: 'rate_limited',
      message: 'Too many frames; slow down',
      retryAfterMs: wait,
    });
  }

  private sendError(code: ErrorCode, message: string, clientId?: string) {
    this.send({ type: 'error', code, message, ...(clientId ? { clientId } : {}) });
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A visitor that stops reading must not make the server hold its messages forever; what it
    // misses is sent again when it resumes.
    if (this.socket.bufferedAmount > this.deps.maxBufferedBytes) {
      this.gone();
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  /** The visitor stopped reading: what it misses is sent again when it resumes. */
  private gone(): void {
    this.deps.log.warn({ tenantId: this.tenant.id }, 'visitor is not reading; closing its socket');
    this.socket.close(CloseCode.tryAgainLater, 'not reading');
    // Its close frame is stuck behind the unread data too: cut the connection shortly after.
    setTimeout(() => this.socket.terminate(), 1_000).unref();
    this.dispose();
  }

  private fail(error: unknown, frame: ClientFrame): void {
    this.deps.log.error(
      { err: error, tenantId: this.tenant.id, conversationId: this.conversationId, frame: frame.type },
      'chat frame failed',
    );
    // A hello that failed (the database was away) may be sent again.
    if (!this.conversationId) this.greeting = false;
    const clientId = frame.type === 'message' ? frame.clientId : undefined;
    this.sendError('internal_error', 'Something went wrong on our side; please try again', clientId);
  }
}

function profileOf(identity: Identity, verified: boolean) {
  return {
    userId: identity.userId,
    ...(identity.name ? { name: identity.name } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    verified,
  };
}
