import type { Clock } from '../clock.ts';
import { escalateConversation } from '../escalation/escalate.ts';
import type { Logger } from '../logger.ts';
import type { BotReply } from '../responder.ts';
import type { ConversationEvents } from './conversation-events.ts';
import type { StoredMessage } from './conversation-store.ts';
import type { Escalation } from './decide-turn.ts';
import type { RecentMessages } from './recent-messages.ts';
import type { TurnInput } from './turn.ts';
import type { OutboundDelivery } from './turn-handler.ts';
import type { ReplyResult, ReplyToStore } from './turn-writes.ts';

export interface TurnRepliesDeps {
  clock: Clock;
  delivery: OutboundDelivery | undefined;
  recent: RecentMessages;
  events: ConversationEvents;
  log: Logger;
  /** Told when a commit queued notifications, so they go out at once. */
  notifier: { kick(): void } | undefined;
}

/** A decided reply, with the message's analysis and the escalation it carries. */
export interface DecidedReply {
  analysed: Record<string, unknown>;
  reply: BotReply;
  escalation?: Escalation | undefined;
}

export interface TurnReplies {
  /**
   * The reply as stored, with the escalation it carries, in a transaction that first locks the
   * conversation: if a human took it over or answered this message meanwhile, the bot's reply is
   * dropped, so a bot and a human never both answer the same message.
   */
  toStore(input: TurnInput, message: StoredMessage, decided: DecidedReply): ReplyToStore;
  /** Once a reply's transaction has committed: its event, its sender and its notifications. */
  publish(input: TurnInput, result: ReplyResult): void;
}

export function createTurnReplies(deps: TurnRepliesDeps): TurnReplies {
  const { clock, delivery, recent, events, log } = deps;
  return {
    toStore(input, message, { analysed, reply, escalation }) {
      return {
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        // The message's analysis is stored whatever becomes of the reply.
        answers: { id: message.id, seq: message.seq },
        answeredMetadata: analysed,
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
    },

    publish(input, result) {
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
    },
  };
}
