import type { Db, Tx } from '../../db/database.ts';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../db/database-errors.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { Language } from '../../knowledge/text/detect-language.ts';
import { type Clock, systemClock } from '../clock.ts';
import { escalateConversation } from '../escalation/escalate.ts';
import {
  escalationForMessage,
  isUnsure,
  lowConfidenceStreakReached,
  type MessageAnalysis,
} from '../escalation/escalation-policy.ts';
import { isHumanOwned } from '../escalation/handoff.ts';
import { handoffText } from '../escalation/handoff-text.ts';
import { summarizeConversation } from '../escalation/summarize-conversation.ts';
import { supportAvailability } from '../escalation/support-hours.ts';
import { OUT_OF_SCOPE } from '../intents/intent-classifier.ts';
import {
  createIntentDetector,
  type DetectedIntent,
  type IntentDetector,
} from '../intents/intent-detector.ts';
import { getLeadOfConversation, type Lead } from '../leads/lead-store.ts';
import type { Logger } from '../logger.ts';
import { replyText } from '../offline/replies.ts';
import { detectSmallTalk } from '../offline/small-talk.ts';
import type { BotReply, Responder, TurnContext } from '../responder.ts';
import { sentimentScore } from '../sentiment/sentiment.ts';
import type { BusinessProfile } from '../tenants/tenant-store.ts';
import type { ConversationEvents } from './conversation-events.ts';
import { conversationLanguage } from './conversation-language.ts';
import {
  type Channel,
  type Conversation,
  mergeMessageMetadata,
  type StoredMessage,
} from './conversation-store.ts';
import { RecentMessages } from './recent-messages.ts';
import { createTurnStateReader, type TurnState } from './turn-state.ts';
import {
  createMessageIntake,
  createReplyAppender,
  type ReplyResult,
  type ReplyToStore,
  type StoredTurn,
  storeReplies,
} from './turn-writes.ts';

/** How many earlier messages the responder sees. */
const HISTORY_LENGTH = 20;
/** How many of the newest messages a turn reads: enough for the lead tracker's transcript too. */
const RECENT_LENGTH = 51;

export interface IncomingMessage {
  tenantId: string;
  conversationId: string;
  channel: Channel;
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
  delivery?: OutboundDelivery;
  /** Each customer message's intent; the offline classifier of the tenant's intents by default. */
  intents?: IntentDetector;
  clock?: Clock;
  /** Told when a commit queued notifications, so they go out at once. */
  notifier?: { kick(): void };
  /** Writes the escalation summary (an LLM); the extractive summary is used without it or when it fails. */
  summarizer?: (reason: string, messages: readonly StoredMessage[]) => Promise<string>;
  /** Follows leads through the customers' messages. */
  leads?: LeadObserver;
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
  const { db, responder, events, log, delivery } = deps;
  const clock = deps.clock ?? systemClock;
  const typingDelayMs = deps.typingDelayMs ?? 300;
  const intents = deps.intents ?? createIntentDetector({ db, log });
  const recent = new RecentMessages(RECENT_LENGTH);
  const readState = createTurnStateReader({ db, intents, recent, log });
  const appendBotReply = createReplyAppender(db);
  // The offline bot answers in the transaction that stores the message, when nothing of the turn
  // leaves the process (no LLM for the answer, the intent, the lead or the summary): one
  // transaction per turn rather than three (store, retrieve, reply).
  const inTransaction =
    responder.respondInTransaction &&
    intents.local &&
    (!deps.leads || deps.leads.observeInTransaction) &&
    !deps.summarizer
      ? answerInTransaction
      : undefined;
  const intake = createMessageIntake<AnsweredInTransaction>({ db, intents, recent, log }, inTransaction);
  // Answers of one conversation run one after another, in the order the messages arrived.
  const queues = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  /**
   * Queues the answer to a message. The state read as the message was stored is used only when
   * nothing else of the conversation is being answered: otherwise the answers before this one
   * change it, and it is read again when this one's turn comes.
   */
  function schedule(input: IncomingMessage, message: StoredMessage, stored?: TurnState): void {
    const previous = queues.get(input.conversationId);
    const state = previous ? undefined : stored;
    const next = (previous ?? Promise.resolve()).then(() => answer(input, message, state));
    const settled = next.catch((error: unknown) => {
      log.error({ err: error, conversationId: input.conversationId }, 'answering a message failed');
    });
    queues.set(input.conversationId, settled);
    inFlight.add(settled);
    void settled.finally(() => {
      inFlight.delete(settled);
      if (queues.get(input.conversationId) === settled) queues.delete(input.conversationId);
    });
  }

  /**
   * What a turn reads comes in one transaction shared with the turns that start meanwhile, and
   * what it writes (the message's analysis, the reply, an escalation) in one more, also shared,
   * besides the lead's when it changes: a turn's cost is counted in round trips to the database,
   * and batches spread them over many turns.
   */
  async function answer(input: IncomingMessage, message: StoredMessage, read?: TurnState): Promise<void> {
    const { tenantId, conversationId } = input;
    const state = read ?? (await readState(tenantId, conversationId));
    const conversation = state.conversation;
    if (!conversation) return;
    // Another process may have answered this very message already (a redelivered message).
    if (state.recent.some((m) => m.seq > message.seq && isReplyTo(m, message))) return;
    const decided = await decide(input, message, { ...state, conversation });
    if (!decided.reply) {
      await withTenant(db, tenantId, (tx) => mergeMessageMetadata(tx, message.id, decided.analysed));
      return;
    }
    const result = await appendBotReply(replyToStore(input, message, decided));
    published(input, result);
  }

  /**
   * Answers, in the transaction that stored their messages, the turns that nothing else of this
   * process is answering: a conversation's first turn of the batch, with no earlier answer of it
   * still queued here (its order is kept by the row lock that storing the message took). Inside a
   * savepoint: should anything fail, the answers are rolled back and the turns answered the usual
   * way, once the messages are committed.
   */
  async function answerInTransaction(
    tx: Tx,
    tenantId: string,
    turns: StoredTurn[],
  ): Promise<(AnsweredInTransaction | undefined)[]> {
    const perConversation = new Map<string, number>();
    for (const turn of turns)
      perConversation.set(
        turn.message.conversationId,
        (perConversation.get(turn.message.conversationId) ?? 0) + 1,
      );
    const chosen = turns.flatMap((turn, i) => {
      const conversation = turn.state.conversation;
      const eligible =
        conversation &&
        !turn.appended.duplicate &&
        perConversation.get(conversation.id) === 1 &&
        !queues.has(conversation.id);
      if (!eligible) return [];
      const input = { tenantId, conversationId: conversation.id, channel: conversation.channel as Channel };
      return [{ i, input, message: turn.appended.message, state: { ...turn.state, conversation } }];
    });
    if (chosen.length === 0) return turns.map(() => undefined);
    try {
      const answered = await tx.transaction(async (savepoint) => {
        const notified = chosen.map(() => 0);
        // Every turn settles before the savepoint does: no statement of a turn may follow a rollback.
        const decisions = await allOrThrow(
          chosen.map(({ input, message, state }, j) =>
            decide(input, message, state, {
              tx: savepoint,
              notified(count) {
                notified[j]! += count;
              },
            }),
          ),
        );
        const replying = chosen.flatMap(({ input, message }, j) => {
          const { analysed, reply, escalation } = decisions[j]!;
          return reply ? [{ j, reply: replyToStore(input, message, { analysed, reply, escalation }) }] : [];
        });
        const merging = allOrThrow(
          chosen.flatMap(({ message }, j) =>
            decisions[j]!.reply ? [] : [mergeMessageMetadata(savepoint, message.id, decisions[j]!.analysed)],
          ),
        );
        const storing = storeReplies(
          savepoint,
          tenantId,
          replying.map((r) => r.reply),
        );
        await allOrThrow<unknown>([merging, storing]);
        const stored = await storing;
        const results = chosen.map((_, j): AnsweredInTransaction => ({ notified: notified[j]! }));
        for (const [k, { j }] of replying.entries()) results[j]!.reply = stored[k]!;
        return results;
      });
      const all = turns.map((): AnsweredInTransaction | undefined => undefined);
      for (const [j, { i }] of chosen.entries()) all[i] = answered[j];
      return all;
    } catch (error) {
      log.error(
        { err: error, tenantId },
        'answering in the message’s transaction failed; answering after it',
      );
      return turns.map(() => undefined);
    }
  }

  /**
   * What a turn decides: the message's analysis and the lead it updates, then either silence (a
   * human owns the conversation, or the responder says nothing) or a reply, with the escalation it
   * carries. Its database work is done in transactions of its own, or in `inTx`'s.
   */
  async function decide(
    input: TurnInput,
    message: StoredMessage,
    state: TurnState & { conversation: Conversation },
    inTx?: InTransaction,
  ): Promise<Decision> {
    const { tenantId, conversationId } = input;
    const history = state.recent.filter((m) => m.seq < message.seq).slice(-HISTORY_LENGTH);
    const analysis = await analyse(tenantId, message, state.model);
    const analysed = analysisMetadata(analysis);
    Object.assign(message.metadata, analysed);
    let lead = state.lead;
    if (deps.leads) {
      const transcript = state.recent.map((m) => (m.id === message.id ? message : m));
      const observed = {
        conversation: state.conversation,
        message,
        history,
        analysis,
        known: { profile: state.profile, lead: state.lead, transcript },
      };
      if (inTx && deps.leads.observeInTransaction) {
        const result = await deps.leads.observeInTransaction(inTx.tx, observed);
        inTx.notified(result.notified);
        lead = result.lead;
      } else {
        try {
          lead = await deps.leads.observe(observed);
        } catch (error) {
          log.error({ err: error, conversationId }, 'lead tracking failed');
          lead = await withTenant(db, tenantId, (tx) => getLeadOfConversation(tx, conversationId));
        }
      }
    }
    // While a human owns the conversation the bot says nothing.
    if (isHumanOwned(state.conversation)) return { analysed };

    const lang = conversationLanguage(message, history, state.profile?.language);
    const decision = escalationForMessage(analysis, state.settings);
    const context: TurnContext = {
      tenantId,
      conversationId,
      channel: input.channel,
      message,
      history,
      analysis,
      settings: state.settings,
      business: { tenant: state.tenant, profile: state.profile, lead },
    };
    let reply: BotReply | null;
    let escalation: Escalation | undefined;
    // An answer given in the message's transaction is ready at once: no indicator.
    const typing = inTx ? undefined : typingIndicator(conversationId);
    try {
      if (decision && !decision.answerFirst) {
        reply = { text: '', citations: [], metadata: { source: 'handoff', lang } };
        escalation = { reason: decision.reason, summary: null };
      } else {
        reply =
          inTx && responder.respondInTransaction
            ? await responder.respondInTransaction(inTx.tx, context)
            : await respond(context, message.id, lang, typing?.show ?? (() => {}));
        if (!reply) return { analysed };
        if (reply.escalation) escalation = reply.escalation;
        else if (decision) escalation = { reason: decision.reason, summary: null };
        const unsure = isUnsure(reply.metadata, state.settings);
        reply.metadata['unsure'] = unsure;
        if (!escalation && unsure && lowConfidenceStreakReached(history, state.settings)) {
          escalation = { reason: 'low_confidence', summary: null };
          reply.text = '';
        }
      }
      if (escalation) {
        const availability = supportAvailability(
          state.profile?.supportHours ?? {},
          state.profile?.timezone ?? 'UTC',
          clock.now(),
        );
        const notice = handoffText(lang, escalation.reason, availability, state.profile?.timezone ?? 'UTC');
        // The LLM relays the tool's notice itself; everywhere else the notice follows any answer.
        if (!reply.escalation) reply.text = reply.text ? `${reply.text}\n\n${notice}` : notice;
        escalation.summary ??= await summarize(escalation.reason, [...history, message]);
        reply.metadata['escalation_reason'] = escalation.reason;
      }
    } finally {
      typing?.stop();
    }
    return escalation ? { analysed, reply, escalation } : { analysed, reply };
  }

  /**
   * "The bot is writing", said once the answer takes longer than a moment or starts streaming,
   * whichever comes first: an answer that is ready at once (the offline bot's) needs no indicator
   * that would only flicker, nor the frames and notifications it costs.
   */
  function typingIndicator(conversationId: string): { show(): void; stop(): void } {
    let shown = false;
    const show = () => {
      if (shown) return;
      shown = true;
      events.publish({ type: 'typing', conversationId, active: true });
    };
    const timer = setTimeout(show, typingDelayMs);
    return {
      show,
      stop() {
        clearTimeout(timer);
        if (shown) events.publish({ type: 'typing', conversationId, active: false });
      },
    };
  }

  async function respond(
    context: TurnContext,
    streamId: string,
    lang: Language,
    typing: () => void,
  ): Promise<BotReply | null> {
    try {
      return await responder.respond(context, {
        delta: (text) => {
          typing();
          events.publish({ type: 'delta', conversationId: context.conversationId, streamId, text });
        },
      });
    } catch (error) {
      log.error({ err: error, conversationId: context.conversationId }, 'the responder failed; apologising');
      return { text: replyText(lang, 'failure'), citations: [], metadata: { error: 'responder_failed' } };
    }
  }

  /** Intent and sentiment of a customer message. */
  async function analyse(
    tenantId: string,
    message: StoredMessage,
    model: { detect(text: string): Promise<DetectedIntent> } | undefined,
  ): Promise<MessageAnalysis> {
    const offTopic = { intent: OUT_OF_SCOPE, confidence: 0, source: 'offline' as const };
    const detected = model
      ? await model.detect(message.content).catch((error: unknown) => {
          log.error({ err: error, tenantId }, 'intent detection failed');
          return offTopic;
        })
      : offTopic;
    return {
      intent: detected.intent,
      intentConfidence: detected.confidence,
      intentSource: detected.source,
      sentiment: sentimentScore(message.content),
      asksForHuman: detectSmallTalk(message.content) === 'human',
    };
  }

  async function summarize(reason: string, messages: StoredMessage[]): Promise<string> {
    if (deps.summarizer) {
      try {
        return await deps.summarizer(reason, messages);
      } catch (error) {
        log.warn({ err: error }, 'the LLM summary failed; using the extractive one');
      }
    }
    return summarizeConversation(reason, messages);
  }

  /**
   * The reply as stored, with the escalation it carries, in a transaction that first locks the
   * conversation: if a human took it over or answered this message meanwhile, the bot's reply is
   * dropped, so a bot and a human never both answer the same message.
   */
  function replyToStore(
    input: TurnInput,
    message: StoredMessage,
    decided: { analysed: Record<string, unknown>; reply: BotReply; escalation?: Escalation | undefined },
  ): ReplyToStore {
    const { reply, escalation } = decided;
    return {
      tenantId: input.tenantId,
      conversationId: input.conversationId,
      // The message's analysis is stored whatever becomes of the reply.
      answers: { id: message.id, seq: message.seq },
      answeredMetadata: decided.analysed,
      role: 'assistant',
      content: reply.text,
      metadata: {
        ...reply.metadata,
        citations: reply.citations,
        reply_to: message.id,
        stream_id: message.id,
      },
      alsoInTransaction: async (tx, conversation, stored) => {
        let notified = 0;
        if (escalation) {
          const escalated = await escalateConversation(tx, {
            conversation,
            reason: escalation.reason,
            summary: escalation.summary,
            lastMessage: message.content,
            now: clock.now(),
          });
          notified = escalated.notified;
        }
        await delivery?.enqueue(tx, conversation, stored);
        return notified;
      },
    };
  }

  /** Once a reply's transaction has committed: its event, its sender and its notifications. */
  function published(input: TurnInput, result: ReplyResult): void {
    if (!result.stored) {
      log.info(
        { conversationId: input.conversationId },
        'a human owns the conversation now; the bot reply is dropped',
      );
      return;
    }
    recent.add(result.stored);
    // A widget's reply reaches it through its socket: no sender needs waking for it.
    if (input.channel !== 'widget') delivery?.afterCommit?.();
    events.publish({ type: 'message', conversationId: input.conversationId, message: result.stored });
    if (result.also > 0) deps.notifier?.kick();
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
      const { message, duplicate, unanswered, state, answered } = await store(input);
      if (!duplicate) events.publish({ type: 'message', conversationId: input.conversationId, message });
      stored?.({ message, duplicate });
      if (!duplicate) {
        if (answered) {
          if (answered.reply) published(input, answered.reply);
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
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

/** Which conversation a turn answers, and on which channel. */
type TurnInput = Pick<IncomingMessage, 'tenantId' | 'conversationId' | 'channel'>;

type Escalation = { reason: string; summary: string | null };

/** A turn's outcome: silence, or a reply (with the escalation it carries). */
type Decision =
  | { analysed: Record<string, unknown>; reply?: undefined; escalation?: undefined }
  | { analysed: Record<string, unknown>; reply: BotReply; escalation?: Escalation | undefined };

/** The transaction a turn is answered in, and the count of notifications to send after it commits. */
interface InTransaction {
  tx: Tx;
  notified(count: number): void;
}

/** A turn answered in its message's transaction: its reply (none when silent), and notifications queued. */
interface AnsweredInTransaction {
  reply?: ReplyResult;
  notified: number;
}

/** Waits for every promise to settle, then throws the first failure, if any. */
async function allOrThrow<T>(promises: Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

function isReplyTo(candidate: StoredMessage, message: StoredMessage): boolean {
  return candidate.role === 'assistant' && candidate.metadata['reply_to'] === message.id;
}

function analysisMetadata(analysis: MessageAnalysis): Record<string, unknown> {
  return {
    intent: analysis.intent,
    intent_confidence: analysis.intentConfidence,
    intent_source: analysis.intentSource,
    sentiment: analysis.sentiment,
  };
}
