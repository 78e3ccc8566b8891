import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import type { Language } from '../../knowledge/text/detect-language.ts';
import type { Clock } from '../clock.ts';
import {
  type EscalationDecision,
  escalationForMessage,
  isUnsure,
  lowConfidenceStreakReached,
  type MessageAnalysis,
} from '../escalation/escalation-policy.ts';
import { isHumanOwned } from '../escalation/handoff.ts';
import { handoffText } from '../escalation/handoff-text.ts';
import { summarizeConversation } from '../escalation/summarize-conversation.ts';
import { supportAvailability } from '../escalation/support-hours.ts';
import { getLeadOfConversation, type Lead } from '../leads/lead-store.ts';
import type { Logger } from '../logger.ts';
import { replyText } from '../offline/replies.ts';
import type { BotReply, Responder, TurnContext } from '../responder.ts';
import { analyseMessage, analysisMetadata, withMetadata } from './analyse-message.ts';
import type { ConversationEvents } from './conversation-events.ts';
import { conversationLanguage } from './conversation-language.ts';
import type { StoredMessage } from './conversation-store.ts';
import type { Turn } from './turn.ts';
import type { LeadObserver } from './turn-handler.ts';
import { typingIndicator } from './typing-indicator.ts';

/** How many earlier messages the responder sees. */
const HISTORY_LENGTH = 20;

export type Escalation = { reason: string; summary: string | null };

/**
 * A turn's outcome: the message as analysed and what the analysis adds to its metadata, the
 * notifications queued in the caller's transaction; then silence (a human owns the conversation,
 * or the responder says nothing) or a reply, with the escalation it carries.
 */
export type Decision = { message: StoredMessage; analysed: Record<string, unknown>; notified: number } & (
  | { reply?: undefined; escalation?: undefined }
  | { reply: BotReply; escalation?: Escalation | undefined }
);

/**
 * Decides a turn. Its database work is done in transactions of its own, or, given `tx`, in that
 * transaction (scoped to the tenant), for a turn answered in the transaction that stores its
 * message: then nothing of it may leave the process, and a failed statement is not caught.
 */
export type TurnDecider = (turn: Turn, tx?: Tx) => Promise<Decision>;

export interface TurnDeciderDeps {
  db: Db;
  responder: Responder;
  events: ConversationEvents;
  log: Logger;
  clock: Clock;
  leads: LeadObserver | undefined;
  summarizer: ((reason: string, messages: readonly StoredMessage[]) => Promise<string>) | undefined;
  /** How long an answer may take before the visitor is told the bot is writing. */
  typingDelayMs: number;
}

export function createTurnDecider(deps: TurnDeciderDeps): TurnDecider {
  const { db, responder, events, log, clock } = deps;

  return async function decide(turn, tx) {
    const { input, state } = turn;
    const history = state.recent.filter((m) => m.seq < turn.message.seq).slice(-HISTORY_LENGTH);
    const analysis = await analyseMessage(turn.message.content, state.model, (error) =>
      log.error({ err: error, tenantId: input.tenantId }, 'intent detection failed'),
    );
    const analysed = analysisMetadata(analysis);
    const message = withMetadata(turn.message, analysed);
    const { lead, notified } = await observeLead(turn, message, history, analysis, tx);
    const silent = { message, analysed, notified };
    // While a human owns the conversation the bot says nothing.
    if (isHumanOwned(state.conversation)) return silent;

    const lang = conversationLanguage(message, history, state.profile?.language);
    const policy = escalationForMessage(analysis, state.settings);
    const context: TurnContext = {
      tenantId: input.tenantId,
      conversationId: input.conversationId,
      channel: input.channel,
      message,
      history,
      analysis,
      settings: state.settings,
      business: { tenant: state.tenant, profile: state.profile, lead },
    };
    // An answer given in the message's transaction is ready at once: no indicator.
    const typing = tx ? undefined : typingIndicator(events, input.conversationId, deps.typingDelayMs);
    try {
      const answered =
        policy && !policy.answerFirst
          ? handoffFirst(policy, lang)
          : await answer(turn, context, policy, lang, typing?.show ?? (() => {}), tx);
      if (!answered) return silent;
      const { reply, escalation, relayed } = answered;
      if (!escalation) return { ...silent, reply };
      const handedOver = await withHandoff(turn, reply, escalation, relayed, [...history, message], lang);
      return { ...silent, ...handedOver };
    } finally {
      typing?.stop();
    }
  };

  /** The conversation's lead once this message is taken into account. */
  async function observeLead(
    turn: Turn,
    message: StoredMessage,
    history: readonly StoredMessage[],
    analysis: MessageAnalysis,
    tx: Tx | undefined,
  ): Promise<{ lead: Lead | undefined; notified: number }> {
    const { input, state } = turn;
    if (!deps.leads) return { lead: state.lead, notified: 0 };
    const observed = {
      conversation: state.conversation,
      message,
      history,
      analysis,
      known: {
        profile: state.profile,
        lead: state.lead,
        transcript: state.recent.map((m) => (m.id === message.id ? message : m)),
      },
    };
    if (tx && deps.leads.observeInTransaction) return deps.leads.observeInTransaction(tx, observed);
    try {
      return { lead: await deps.leads.observe(observed), notified: 0 };
    } catch (error) {
      log.error({ err: error, conversationId: input.conversationId }, 'lead tracking failed');
      const lead = await withTenant(db, input.tenantId, (read) =>
        getLeadOfConversation(read, input.conversationId),
      );
      return { lead, notified: 0 };
    }
  }

  /**
   * The responder's answer, marked unsure or not, with the escalation it brings: the responder's
   * own, the policy's, or a hand-over after too many unsure answers in a row (which says nothing
   * of its own but the notice).
   */
  async function answer(
    turn: Turn,
    context: TurnContext,
    policy: EscalationDecision | null,
    lang: Language,
    typing: () => void,
    tx: Tx | undefined,
  ): Promise<Answer | undefined> {
    const reply =
      tx && responder.respondInTransaction
        ? await responder.respondInTransaction(tx, context)
        : await respond(context, lang, typing);
    if (!reply) return undefined;
    const settings = turn.state.settings;
    const unsure = isUnsure(reply.metadata, settings);
    const marked = { ...reply, metadata: { ...reply.metadata, unsure } };
    const escalation = reply.escalation ?? (policy ? { reason: policy.reason, summary: null } : undefined);
    if (escalation) return { reply: marked, escalation, relayed: reply.escalation !== undefined };
    if (unsure && lowConfidenceStreakReached(context.history, settings)) {
      return {
        reply: { ...marked, text: '' },
        escalation: { reason: 'low_confidence', summary: null },
        relayed: false,
      };
    }
    return { reply: marked, escalation: undefined, relayed: false };
  }

  async function respond(context: TurnContext, lang: Language, typing: () => void): Promise<BotReply | null> {
    const { conversationId, message } = context;
    try {
      return await responder.respond(context, {
        delta: (text) => {
          typing();
          events.publish({ type: 'delta', conversationId, streamId: message.id, text });
        },
      });
    } catch (error) {
      log.error({ err: error, conversationId }, 'the responder failed; apologising');
      return { text: replyText(lang, 'failure'), citations: [], metadata: { error: 'responder_failed' } };
    }
  }

  /**
   * The reply with the hand-over notice after any answer (the LLM relays the tool's notice
   * itself), and the escalation with its summary.
   */
  async function withHandoff(
    turn: Turn,
    reply: BotReply,
    escalation: Escalation,
    relayed: boolean,
    transcript: StoredMessage[],
    lang: Language,
  ): Promise<{ reply: BotReply; escalation: Escalation }> {
    const profile = turn.state.profile;
    const timezone = profile?.timezone ?? 'UTC';
    const availability = supportAvailability(profile?.supportHours ?? {}, timezone, clock.now());
    const notice = handoffText(lang, escalation.reason, availability, timezone);
    const text = relayed ? reply.text : reply.text ? `${reply.text}\n\n${notice}` : notice;
    const summary = escalation.summary ?? (await summarize(escalation.reason, transcript));
    return {
      reply: { ...reply, text, metadata: { ...reply.metadata, escalation_reason: escalation.reason } },
      escalation: { reason: escalation.reason, summary },
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
}

/** The reply before any hand-over notice; `relayed`: the responder escalated and said so itself. */
interface Answer {
  reply: BotReply;
  escalation: Escalation | undefined;
  relayed: boolean;
}

/** A hand-over that comes before any answer: the reply is the notice alone. */
function handoffFirst(policy: EscalationDecision, lang: Language): Answer {
  return {
    reply: { text: '', citations: [], metadata: { source: 'handoff', lang } },
    escalation: { reason: policy.reason, summary: null },
    relayed: false,
  };
}
