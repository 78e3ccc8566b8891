import type { Db, Tx } from '../../db/database.ts';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../db/database-errors.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { MessageAnalysis } from '../escalation/escalation-policy.ts';
import { createIntentDetector, type IntentDetector } from '../intents/intent-detector.ts';
import type { Lead } from '../leads/lead-store.ts';
import type { Logger } from '../logger.ts';
import type { Responder } from '../responder.ts';
import type { BusinessProfile } from '../tenants/tenant-store.ts';
import { createAnswerAfterCommit } from './answer-after-commit.ts';
import { type AnsweredInTransaction, createInTransactionAnswerer } from './answer-in-transaction.ts';
import type { ConversationEvents } from './conversation-events.ts';
import { ConversationQueues } from './conversation-queues.ts';
import type { Conversation, StoredMessage } from './conversation-store.ts';
import { createTurnDecider } from './decide-turn.ts';
import { RecentMessages } from './recent-messages.ts';
import type { TurnInput } from './turn.ts';
import { createTurnReplies } from './turn-replies.ts';
import { createTurnStateReader, type TurnState } from './turn-state.ts';
import { createMessageIntake, createReplyAppender } from './turn-writes.ts';

/** How many of the newest messages a turn reads: enough for the lead tracker's transcript too. */
const RECENT_LENGTH = 51;
/** How long an answer may take before the visitor is told the bot is writing. */
const DEFAULT_TYPING_DELAY_MS = 300;

export interface IncomingMessage extends TurnInput {
  text: string;
  /** The sender's id for this message; a resend with the same id is stored and answered once. */
  clientId?: string;
  metadata?: Record<string, unknown>;
}

export interface TurnHandler {
  /**
   * Stores a customer's message and schedules the bot's answer. Resolves as soon as the message
   * is stored, so the sender can be acknowledged before the answer is ready. `stored` is called
   * then too, before anything of the answer is published: an answer ready at once (given in the
   * message's transaction) still reaches the sender after its acknowledgement.
   */
  receive(
    input: IncomingMessage,
    stored?: (result: { message: StoredMessage; duplicate: boolean }) => void,
  ): Promise<{ message: StoredMessage; duplicate: boolean }>;
  /** Resolves once every answer scheduled so far is stored (for shutdown and tests). */
  drain(): Promise<void>;
}

/**
 * How replies reach channels other than the widget's socket (WhatsApp, Instagram): each reply is
 * queued in the same transaction that stores it, so an answer is never stored without being
 * queued, nor queued without being stored.
 */
export interface OutboundDelivery {
  enqueue(tx: Tx, conversation: Conversation, message: StoredMessage): Promise<void>;
  /** Called once the transaction that enqueued has committed, so a sender can start at once. */
  afterCommit?(): void;
}

export interface TurnHandlerDeps {
  db: Db;
  responder: Responder;
  events: ConversationEvents;
  log: Logger;
  delivery?: OutboundDelivery | undefined;
  /** Each customer message's intent; the offline classifier of the tenant's intents by default. */
  intents?: IntentDetector | undefined;
  clock?: Clock | undefined;
  /** Told when a commit queued notifications, so they go out at once. */
  notifier?: { kick(): void } | undefined;
  /** Writes the escalation summary (an LLM); the extractive summary is used without it or when it fails. */
  summarizer?: ((reason: string, messages: readonly StoredMessage[]) => Promise<string>) | undefined;
  /** Follows leads through the customers' messages. */
  leads?: LeadObserver | undefined;
  /** How long an answer may take before the visitor is told the bot is writing (default 300 ms). */
  typingDelayMs?: number;
}

/** Watches each customer message for lead details (contact, need, buying signals). */
export interface LeadObserver {
  /** Resolves to the conversation's lead as it now is (undefined: none yet). */
  observe(input: {
    conversation: Conversation;
    message: StoredMessage;
    history: readonly StoredMessage[];
    analysis: MessageAnalysis;
    /** What the turn read already: the business profile, the lead, the newest messages. */
    known?: {
      profile: BusinessProfile | undefined;
      lead: Lead | undefined;
      transcript: readonly StoredMessage[];
    };
  }): Promise<Lead | undefined>;
  /**
   * The same in the caller's transaction `tx` (scoped to the tenant), for a turn answered in the
   * transaction that stores its message; resolves with the notifications it queued, to be sent
   * once `tx` commits. Offered only by an observer that calls nothing outside the process.
   */
  observeInTransaction?(
    tx: Tx,
    input: Parameters<LeadObserver['observe']>[0],
  ): Promise<{ lead: Lead | undefined; notified: number }>;
}

export function createTurnHandler(deps: TurnHandlerDeps): TurnHandler {
  const { db, responder, events, log } = deps;
  const intents = deps.intents ?? createIntentDetector({ db, log });
  const recent = new RecentMessages(RECENT_LENGTH);
  const queues = new ConversationQueues((error, conversationId) => {
    log.error({ err: error, conversationId }, 'answering a message failed');
  });
  const decide = createTurnDecider({
    db,
    responder,
    events,
    log,
    clock: deps.clock ?? systemClock,
    leads: deps.leads,
    summarizer: deps.summarizer,
    typingDelayMs: deps.typingDelayMs ?? DEFAULT_TYPING_DELAY_MS,
  });
  const replies = createTurnReplies({
    clock: deps.clock ?? systemClock,
    delivery: deps.delivery,
    recent,
    events,
    log,
    notifier: deps.notifier,
  });
  const answer = createAnswerAfterCommit({
    db,
    decide,
    replies,
    recent,
    readState: createTurnStateReader({ db, intents, recent, log }),
    appendReply: createReplyAppender(db),
  });
  // The offline bot answers in the transaction that stores the message, when nothing of the turn
  // leaves the process (no LLM for the answer, the intent, the lead or the summary): one
  // transaction per turn rather than three (store, retrieve, reply).
  const inTransaction =
    responder.respondInTransaction &&
    intents.local &&
    (!deps.leads || deps.leads.observeInTransaction) &&
    !deps.summarizer
      ? createInTransactionAnswerer({ decide, replies, busy: (id) => queues.has(id), log })
      : undefined;
  const intake = createMessageIntake<AnsweredInTransaction>({ db, intents, recent, log }, inTransaction);

  /**
   * Queues the answer to a message. The state read as the message was stored is used only when
   * nothing else of the conversation is being answered: otherwise the answers before this one
   * change it, and it is read again when this one's turn comes.
   */
  function schedule(input: TurnInput, message: StoredMessage, stored?: TurnState): void {
    const state = queues.has(input.conversationId) ? undefined : stored;
    queues.run(input.conversationId, () => answer(input, message, state));
  }

  async function store(input: IncomingMessage) {
    const write = async () => {
      const { appended, state, answered } = await intake({
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        role: 'user',
        content: input.text,
        clientId: input.clientId ?? null,
        metadata: input.metadata ?? {},
      });
      return { ...appended, state, answered, unanswered: appended.lastSeq === appended.message.seq };
    };
    try {
      const stored = await write();
      if (!stored.duplicate) recent.add(stored.message);
      return stored;
    } catch (error) {
      // Two connections sent the same clientId at once; the loser finds the winner's copy.
      if (input.clientId && sqlState(error) === PG_UNIQUE_VIOLATION) return write();
      throw error;
    }
  }

  return {
    async receive(input, stored) {
      const { duplicate, unanswered, state, answered, ...appended } = await store(input);
      // An answer given in the message's transaction analysed the message already.
      const message = answered?.message ?? appended.message;
      if (answered) recent.update(message);
      if (!duplicate) events.publish({ type: 'message', conversationId: input.conversationId, message });
      stored?.({ message, duplicate });
      if (!duplicate) {
        if (answered) {
          if (answered.reply) replies.publish(input, answered.reply);
          if (answered.notified > 0) deps.notifier?.kick();
        } else {
          schedule(input, message, state);
        }
      } else if (unanswered && !queues.has(input.conversationId)) {
        // The message was stored but its answer never was (a crash in between): answer it now.
        schedule(input, message);
      }
      return { message, duplicate };
    },
    drain: () => queues.drain(),
  };
}
