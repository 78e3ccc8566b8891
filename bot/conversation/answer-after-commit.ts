import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { mergeMessageMetadata, type StoredMessage } from './conversation-store.ts';
import type { TurnDecider } from './decide-turn.ts';
import type { RecentMessages } from './recent-messages.ts';
import type { TurnInput } from './turn.ts';
import type { TurnReplies } from './turn-replies.ts';
import type { TurnState } from './turn-state.ts';
import type { ReplyResult, ReplyToStore } from './turn-writes.ts';

export interface AnswerAfterCommitDeps {
  db: Db;
  decide: TurnDecider;
  replies: TurnReplies;
  recent: RecentMessages;
  /** Reads a turn's state, batched with the turns that start meanwhile. */
  readState(tenantId: string, conversationId: string): Promise<TurnState>;
  /** Stores a reply, batched likewise. */
  appendReply(reply: ReplyToStore): Promise<ReplyResult>;
}

/**
 * Answers a message once it is committed. What a turn reads comes in one transaction shared with
 * the turns that start meanwhile, and what it writes (the message's analysis, the reply, an
 * escalation) in one more, also shared, besides the lead's when it changes: a turn's cost is
 * counted in round trips to the database, and batches spread them over many turns. `read` is the
 * state read as the message was stored, when it still holds.
 */
export function createAnswerAfterCommit(
  deps: AnswerAfterCommitDeps,
): (input: TurnInput, message: StoredMessage, read?: TurnState) => Promise<void> {
  const { db, decide, replies, recent } = deps;
  return async (input, message, read) => {
    const state = read ?? (await deps.readState(input.tenantId, input.conversationId));
    const conversation = state.conversation;
    if (!conversation) return;
    // Another process may have answered this very message already (a redelivered message).
    if (state.recent.some((m) => m.seq > message.seq && isReplyTo(m, message))) return;
    const turn = { input, message, state: { ...state, conversation } };
    const decided = await decide(turn);
    recent.update(decided.message);
    if (!decided.reply) {
      await withTenant(db, input.tenantId, (tx) => mergeMessageMetadata(tx, message.id, decided.analysed));
      return;
    }
    replies.publish(input, await deps.appendReply(replies.toStore(input, message, decided)));
  };
}

function isReplyTo(candidate: StoredMessage, message: StoredMessage): boolean {
  return candidate.role === 'assistant' && candidate.metadata['reply_to'] === message.id;
}
