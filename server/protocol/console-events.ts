import Type, { type Static } from 'typebox';
import { Uuid } from './console.ts';
import type { ConsoleMessage, InboxRow, Teammate, UnreadCounts } from './console-inbox.ts';

/**
 * The operators' live events: one websocket per console tab at GET /api/v1/inbox/events,
 * authenticated by the session cookie (its current tenant), with the Origin checked before the
 * upgrade. One JSON object per text frame, told apart by `type`. docs/console-api.md has the
 * rules; the console imports the types only.
 *
 * Durable changes are events with `seq`: the tenant's event sequence, strictly increasing in
 * commit order (an event is never delivered after one with a higher seq). Each event carries the
 * entity's whole current state as the recipient sees it, so applying events in seq order to any
 * older state gives what a fresh load gives. Presence, typing and unread counts are snapshots
 * without seq that replace the previous one.
 */
export const CONSOLE_PROTOCOL_VERSION = 1;

// Client → server

/**
 * The first frame, once. `lastSeq` is the highest event seq this tab has applied: the server sends
 * every event after it, then `welcome {resumed: true}`. Without it, or when it is older than the
 * server keeps (at least 24 hours), `welcome {resumed: false}`: the tab loads afresh.
 */
export const ConsoleHelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    lastSeq: Type.Optional(Type.Integer({ minimum: 0 })),
    /** The conversation open in this tab, as in `watch`. */
    watch: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);

/**
 * The conversation open in this tab (null: none). The tab then receives its `message` events and
 * its `presence`, and other operators see this one viewing it.
 */
export const WatchFrame = Type.Object(
  { type: Type.Literal('watch'), conversationId: Type.Union([Uuid, Type.Null()]) },
  { additionalProperties: false },
);

/**
 * The operator is writing in the watched conversation (null: stopped). Sent at most every 3 s while
 * typing; the server forgets it after 6 s without another. A reply's typing is shown to the
 * customer (widget); a note's only to operators.
 */
export const OperatorTypingFrame = Type.Object(
  {
    type: Type.Literal('typing'),
    conversationId: Uuid,
    composing: Type.Union([Type.Literal('reply'), Type.Literal('note'), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ConsolePingFrame = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });

export const consoleClientFrameSchemas = {
  hello: ConsoleHelloFrame,
  watch: WatchFrame,
  typing: OperatorTypingFrame,
  ping: ConsolePingFrame,
} as const;

export type ConsoleHelloFrame = Static<typeof ConsoleHelloFrame>;
export type WatchFrame = Static<typeof WatchFrame>;
export type OperatorTypingFrame = Static<typeof OperatorTypingFrame>;
export type ConsolePingFrame = Static<typeof ConsolePingFrame>;
export type ConsoleClientFrame = ConsoleHelloFrame | WatchFrame | OperatorTypingFrame | ConsolePingFrame;

// Server → client

/** A new or changed conversation, as a list row for this operator. */
export interface ConversationEvent {
  type: 'conversation';
  seq: number;
  conversation: InboxRow;
}

/** A conversation that no longer exists (deleted, or its contact erased). */
export interface ConversationRemovedEvent {
  type: 'conversation_removed';
  seq: number;
  conversationId: string;
}

/** A new or changed message (e.g. its delivery status), of a watched conversation only. */
export interface MessageEvent {
  type: 'message';
  seq: number;
  conversationId: string;
  message: ConsoleMessage;
}

export type ConsoleEvent = ConversationEvent | ConversationRemovedEvent | MessageEvent;

/** Who is on the watched conversation now; replaces the previous presence of that conversation. */
export interface PresenceFrame {
  type: 'presence';
  conversationId: string;
  /** Operators with the conversation open, this one included. */
  viewers: Teammate[];
  /** Operators writing in it, and what. */
  typing: (Teammate & { composing: 'reply' | 'note' })[];
  visitor: {
    online: boolean;
    typing: boolean;
    /** The page the widget is on, when it said. */
    page: { url: string; title: string | null } | null;
  };
}

export type ConsoleErrorFrameCode =
  | 'bad_json'
  | 'invalid_frame'
  | 'unknown_type'
  | 'hello_required'
  | 'already_greeted'
  | 'not_found'
  | 'rate_limited'
  | 'internal_error';

export type ConsoleServerFrame =
  | ConsoleEvent
  | {
      type: 'welcome';
      protocol: number;
      /** The newest event seq; every event after it comes live. */
      seq: number;
      /** True when every event after the hello's lastSeq was just sent; false: load afresh. */
      resumed: boolean;
      userId: string;
      tenantId: string;
    }
  /** Sent after welcome and whenever they change. */
  | { type: 'unread'; counts: UnreadCounts }
  | PresenceFrame
  | { type: 'pong' }
  | { type: 'error'; code: ConsoleErrorFrameCode; message: string }
  /** Sent before the server closes the socket (1001 shutdown, 1008 session ended). */
  | { type: 'bye'; reason: 'shutdown' | 'session_ended' | 'tenant_access_removed' };

/**
 * Additions to the widget protocol (frames.ts) that the console needs: the visitor's typing and
 * page travel client → server, and an operator's typing reaches the visitor.
 */
export const VisitorTypingFrame = Type.Object(
  { type: Type.Literal('typing'), active: Type.Boolean() },
  { additionalProperties: false },
);

export const VisitorPageFrame = Type.Object(
  {
    type: Type.Literal('page'),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    title: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

export type VisitorTypingFrame = Static<typeof VisitorTypingFrame>;
export type VisitorPageFrame = Static<typeof VisitorPageFrame>;
