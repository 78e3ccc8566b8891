import Type, { type Static } from 'typebox';
import { IsoDateTime, Nullable, Uuid } from './console.ts';

/**
 * The inbox under /api/v1/inbox: lists by view, one conversation with its messages, the side
 * panel, actions, replies and notes, canned responses. Every read answers with `seq`, the
 * tenant's event sequence when it was read (console-events.ts), so the console can tell which
 * live events the answer already contains. docs/console-api.md describes the rules.
 */

export const Channel = Type.Union([
  Type.Literal('widget'),
  Type.Literal('whatsapp'),
  Type.Literal('instagram'),
]);

/**
 * - open: the bot answers;
 * - waiting: escalated (by the bot, the customer or a rule), no person has it yet;
 * - human: a person took it or replied; the bot is silent;
 * - resolved: closed; a new customer message opens it again.
 */
export const ConversationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('waiting'),
  Type.Literal('human'),
  Type.Literal('resolved'),
]);

/**
 * - mine: assigned to the signed-in operator;
 * - unassigned: assigned to nobody;
 * - all: every conversation;
 * - waiting: status `waiting`.
 * Without a `status` filter every view leaves out resolved conversations.
 */
export const InboxView = Type.Union([
  Type.Literal('mine'),
  Type.Literal('unassigned'),
  Type.Literal('all'),
  Type.Literal('waiting'),
]);

export const Teammate = Type.Object({
  id: Uuid,
  /** The display name, or the part of the e-mail before "@". */
  name: Type.String(),
});

/** `note` is an operators' internal note: it never reaches the customer. */
export const MessageRole = Type.Union([
  Type.Literal('user'),
  Type.Literal('assistant'),
  Type.Literal('agent'),
  Type.Literal('system'),
  Type.Literal('note'),
]);

/**
 * One row of the list, as the operator it is sent to sees it (`unread` is theirs). It holds no
 * message body but the last one, truncated.
 */
export const InboxRow = Type.Object({
  id: Uuid,
  channel: Channel,
  status: ConversationStatus,
  contact: Type.Object({
    /** Written by the customer or their channel: hostile text. */
    name: Nullable(Type.String()),
    /** The visitor id, phone number (E.164) or Instagram id or username. */
    channelId: Type.String(),
  }),
  assignee: Nullable(Teammate),
  /** Notes are not a conversation's last message. */
  lastMessage: Nullable(
    Type.Object({
      role: MessageRole,
      /** At most 160 characters. */
      text: Type.String({ maxLength: 160 }),
      at: IsoDateTime,
    }),
  ),
  /**
   * The newest message's time (or the conversation's creation), to the millisecond. Lists are in
   * descending (lastActivityAt, id) order, compared as sent.
   */
  lastActivityAt: IsoDateTime,
  /** The newest message's seq (messages are numbered 1, 2, 3… in each conversation). */
  lastSeq: Type.Integer({ minimum: 0 }),
  /** Customer messages after this operator's read mark. */
  unread: Type.Integer({ minimum: 0 }),
  /** An escalation is open (the bot or the customer asked for a person). */
  escalated: Type.Boolean(),
  /** The conversation's lead is scored hot. */
  hotLead: Type.Boolean(),
});

export const ListQuery = Type.Object(
  {
    view: InboxView,
    status: Type.Optional(ConversationStatus),
    channel: Type.Optional(Channel),
    assignee: Type.Optional(Uuid),
    /** Full-text search over the messages and the contact's name (Postgres FTS). */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** `nextCursor` of the previous page, with the same view and filters. */
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);

export const InboxPage = Type.Object({
  items: Type.Array(InboxRow),
  nextCursor: Nullable(Type.String()),
  seq: Type.Integer({ minimum: 0 }),
});

/**
 * Per view, the conversations in it (resolved left out) that have an unread customer message
 * for this operator. The console's tab title shows mine + waiting.
 */
export const UnreadCounts = Type.Object({
  mine: Type.Integer({ minimum: 0 }),
  unassigned: Type.Integer({ minimum: 0 }),
  all: Type.Integer({ minimum: 0 }),
  waiting: Type.Integer({ minimum: 0 }),
});

export const CountsAnswer = Type.Object({ counts: UnreadCounts, seq: Type.Integer({ minimum: 0 }) });

export const Citation = Type.Object({
  title: Type.String(),
  /** http or https only. */
  url: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
});

/** How a reply to WhatsApp or Instagram went out, from `metadata.delivery`. */
export const Delivery = Type.Object({
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('sent'),
    Type.Literal('delivered'),
    Type.Literal('read'),
    Type.Literal('failed'),
    Type.Literal('refused'),
  ]),
  /** With refused or failed: `outside_window`, `no_customer_message`, … */
  reason: Type.Optional(Type.String()),
  /** With refused or failed: why, in words. */
  detail: Type.Optional(Type.String()),
  /** `template` (WhatsApp, outside the window) or `HUMAN_AGENT` (Instagram). */
  sentAs: Type.Optional(Type.String()),
});

/** What the bot knew when it answered: on its messages only. */
export const BotAnswer = Type.Object({
  intent: Nullable(Type.String()),
  intentConfidence: Nullable(Type.Number()),
  /** The best passage's relevance, when it answered from the knowledge. */
  retrievalScore: Nullable(Type.Number()),
  /** It searched the knowledge and found nothing good enough. */
  abstained: Type.Boolean(),
  /** `llm`, `offline`, `template`… */
  source: Nullable(Type.String()),
});

export const ConsoleMessage = Type.Object({
  id: Uuid,
  seq: Type.Integer({ minimum: 1 }),
  role: MessageRole,
  /** Plain text with light markdown; hostile when the customer wrote it. */
  text: Type.String(),
  createdAt: IsoDateTime,
  /** The operator, for agent messages and notes. */
  author: Nullable(Teammate),
  /** The sender's id for the message (a retried send is stored once). */
  clientId: Nullable(Type.String()),
  citations: Type.Array(Citation),
  bot: Nullable(BotAnswer),
  delivery: Nullable(Delivery),
});

export const Escalation = Type.Object({
  id: Uuid,
  /** Why: `customer_request`, `low_confidence`, `negative_sentiment`, `intent:complaint`, `operator_takeover`… */
  reason: Type.String(),
  /** The bot's summary of the conversation for the person who takes it. */
  summary: Nullable(Type.String()),
  createdAt: IsoDateTime,
  resolvedAt: Nullable(IsoDateTime),
});

/**
 * GET /inbox/conversations/:id: the newest `limit` messages before `before` (or, with `after`, the
 * first `limit` after it, to fill a gap), in ascending seq.
 */
export const ConversationQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);

export const ConversationAnswer = Type.Object({
  conversation: InboxRow,
  messages: Type.Array(ConsoleMessage),
  /** Messages older than the first one returned exist. */
  hasEarlier: Type.Boolean(),
  /** The newest (or open) escalation, with its reason. */
  escalation: Nullable(Escalation),
  /** This operator's read mark. */
  readSeq: Type.Integer({ minimum: 0 }),
  seq: Type.Integer({ minimum: 0 }),
});

/** The side panel: GET /inbox/conversations/:id/context. Every string in it is hostile. */
export const ConversationContext = Type.Object({
  channel: Channel,
  contact: Type.Object({
    name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    channelId: Type.String(),
    /** The site's own user id (widget identify), verified or claimed. */
    externalId: Nullable(Type.String()),
    /** The site proved who the visitor is (identity hash); false for a claim or no identity. */
    verified: Type.Boolean(),
  }),
  /** The business account the conversation came through (WhatsApp number, Instagram account). */
  account: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  visitor: Type.Object({
    /** A widget visitor's socket is open now. */
    online: Type.Boolean(),
    /** The page the widget is on now, or was on last. */
    page: Nullable(Type.Object({ url: Type.String(), title: Nullable(Type.String()) })),
  }),
  language: Nullable(Type.String()),
  lead: Nullable(
    Type.Object({
      id: Uuid,
      name: Nullable(Type.String()),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      temperature: Nullable(Type.Union([Type.Literal('hot'), Type.Literal('warm'), Type.Literal('cold')])),
      score: Nullable(Type.Integer()),
      status: Type.String(),
      /** The scoring's signals, each as a label and a value in words. */
      signals: Type.Array(Type.Object({ label: Type.String(), value: Type.String() })),
      reasoning: Nullable(Type.String()),
    }),
  ),
  /** Other conversations of the same contact, newest first (at most 20). */
  past: Type.Array(
    Type.Object({
      id: Uuid,
      channel: Channel,
      status: ConversationStatus,
      lastActivityAt: IsoDateTime,
      lastMessage: Nullable(Type.String({ maxLength: 160 })),
    }),
  ),
  /**
   * WhatsApp and Instagram only: whether a free-form reply can go out now. Outside the window a
   * WhatsApp reply goes out as the tenant's template when it has one, and is refused otherwise.
   */
  window: Nullable(
    Type.Object({
      open: Type.Boolean(),
      closesAt: Nullable(IsoDateTime),
      template: Nullable(Type.Object({ name: Type.String(), language: Type.String() })),
      /** Instagram: a person may still answer with the HUMAN_AGENT tag until this time. */
      humanAgentUntil: Nullable(IsoDateTime),
    }),
  ),
  seq: Type.Integer({ minimum: 0 }),
});

const ClientId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/**
 * POST /inbox/conversations/:id/messages. A reply goes to the customer and makes the sender the
 * conversation's owner (status human) under the conversation's lock: it is refused with
 * CAUSETTE_ERR_CONFLICT when another operator has it. A note is seen by operators only.
 */
export const SendBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('reply'), Type.Literal('note')]),
    text: Type.String({ minLength: 1, maxLength: 8000, pattern: '\\S' }),
    clientId: ClientId,
  },
  { additionalProperties: false },
);

export const SendAnswer = Type.Object({
  message: ConsoleMessage,
  duplicate: Type.Boolean(),
  conversation: InboxRow,
  seq: Type.Integer({ minimum: 0 }),
});

/** POST /inbox/conversations/:id/take: without `force`, refused when another operator has it. */
export const TakeBody = Type.Object(
  { force: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** POST /inbox/conversations/:id/assign: to a teammate (status human), or to nobody (status waiting). */
export const AssignBody = Type.Object({ assigneeId: Nullable(Uuid) }, { additionalProperties: false });

/** POST /inbox/conversations/:id/read: everything up to `seq` is read by this operator. */
export const ReadBody = Type.Object({ seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

/**
 * The answer of every action (take, assign, hand-back, resolve, reopen, read): the row after it,
 * and the seq of the event it produced.
 */
export const ActionAnswer = Type.Object({ conversation: InboxRow, seq: Type.Integer({ minimum: 0 }) });

export const TeammateList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), role: Type.String() })),
});

/**
 * A canned response, inserted in the composer with `/shortcut`. Its text may hold `{{name}}`
 * (the contact's name), `{{agent}}` (the operator's name) and `{{business}}` (the tenant's name).
 */
export const CannedResponse = Type.Object({
  id: Uuid,
  shortcut: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }),
  title: Type.String({ minLength: 1, maxLength: 100 }),
  text: Type.String({ minLength: 1, maxLength: 4000 }),
});

export const CannedResponseList = Type.Object({ items: Type.Array(CannedResponse) });

export const CannedResponseBody = Type.Object(
  {
    shortcut: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

export type Channel = Static<typeof Channel>;
export type ConversationStatus = Static<typeof ConversationStatus>;
export type InboxView = Static<typeof InboxView>;
export type Teammate = Static<typeof Teammate>;
export type MessageRole = Static<typeof MessageRole>;
export type InboxRow = Static<typeof InboxRow>;
export type ListQuery = Static<typeof ListQuery>;
export type InboxPage = Static<typeof InboxPage>;
export type UnreadCounts = Static<typeof UnreadCounts>;
export type CountsAnswer = Static<typeof CountsAnswer>;
export type Citation = Static<typeof Citation>;
export type Delivery = Static<typeof Delivery>;
export type BotAnswer = Static<typeof BotAnswer>;
export type ConsoleMessage = Static<typeof ConsoleMessage>;
export type Escalation = Static<typeof Escalation>;
export type ConversationQuery = Static<typeof ConversationQuery>;
export type ConversationAnswer = Static<typeof ConversationAnswer>;
export type ConversationContext = Static<typeof ConversationContext>;
export type SendBody = Static<typeof SendBody>;
export type SendAnswer = Static<typeof SendAnswer>;
export type TakeBody = Static<typeof TakeBody>;
export type AssignBody = Static<typeof AssignBody>;
export type ReadBody = Static<typeof ReadBody>;
export type ActionAnswer = Static<typeof ActionAnswer>;
export type TeammateList = Static<typeof TeammateList>;
export type CannedResponse = Static<typeof CannedResponse>;
export type CannedResponseList = Static<typeof CannedResponseList>;
export type CannedResponseBody = Static<typeof CannedResponseBody>;
