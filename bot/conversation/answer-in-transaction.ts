import type { Tx } from '../../db/database.ts';
import type { Logger } from '../logger.ts';
import { type Channel, mergeMessageMetadata, type StoredMessage } from './conversation-store.ts';
import type { Decision, TurnDecider } from './decide-turn.ts';
import type { Turn } from './turn.ts';
import type { TurnReplies } from './turn-replies.ts';
import {
  type InTransactionAnswerer,
  type ReplyResult,
  type StoredTurn,
  storeReplies,
} from './turn-writes.ts';

/** A turn answered in its message's transaction. */
export interface AnsweredInTransaction {
  /** The message as analysed. */
  message: StoredMessage;
  /** Its reply as stored; none when the bot stays silent. */
  reply?: ReplyResult | undefined;
  /** Notifications queued, to be sent once the transaction has committed. */
  notified: number;
}

export interface InTransactionDeps {
  decide: TurnDecider;
  replies: TurnReplies;
  /** Whether an earlier answer of the conversation is still queued in this process. */
  busy(conversationId: string): boolean;
  log: Logger;
}

/**
 * Answers, in the transaction that stored their messages, the turns that nothing else of this
 * process is answering: a conversation's first turn of the batch, with no earlier answer of it
 * still queued here (its order is kept by the row lock that storing the message took). Inside a
 * savepoint: should anything fail, the answers are rolled back and the turns answered the usual
 * way, once the messages are committed.
 */
export function createInTransactionAnswerer(
  deps: InTransactionDeps,
): InTransactionAnswerer<AnsweredInTransaction> {
  return async (tx, tenantId, stored) => {
    const turns = answerable(tenantId, stored, deps.busy);
    if (turns.size === 0) return new Map();
    try {
      return await tx.transaction((savepoint) => answerAll(deps, savepoint, tenantId, turns));
    } catch (error) {
      deps.log.error(
        { err: error, tenantId },
        'answering in the message’s transaction failed; answering after it',
      );
      return new Map();
    }
  };
}

/** The turns of the batch that may be answered in it, each with what it answers. */
function answerable(
  tenantId: string,
  stored: readonly StoredTurn[],
  busy: (conversationId: string) => boolean,
): Map<StoredTurn, Turn> {
  const perConversation = new Map<string, number>();
  for (const { message } of stored) {
    perConversation.set(message.conversationId, (perConversation.get(message.conversationId) ?? 0) + 1);
  }
  const turns = new Map<StoredTurn, Turn>();
  for (const from of stored) {
    const conversation = from.state.conversation;
    if (!conversation || from.appended.duplicate) continue;
    if (perConversation.get(conversation.id) !== 1 || busy(conversation.id)) continue;
    turns.set(from, {
      input: { tenantId, conversationId: conversation.id, channel: conversation.channel as Channel },
      message: from.appended.message,
      state: { ...from.state, conversation },
    });
  }
  return turns;
}

/** A turn, decided. */
interface Decided {
  from: StoredTurn;
  turn: Turn;
  decision: Decision;
}

async function answerAll(
  deps: InTransactionDeps,
  savepoint: Tx,
  tenantId: string,
  turns: ReadonlyMap<StoredTurn, Turn>,
): Promise<Map<StoredTurn, AnsweredInTransaction>> {
  // Every turn settles before the savepoint does: no statement of a turn may follow a rollback.
  const decided = await allOrThrow(
    [...turns].map(
      async ([from, turn]): Promise<Decided> => ({
        from,
        turn,
        decision: await deps.decide(turn, savepoint),
      }),
    ),
  );
  const replying = decided.flatMap(({ turn, decision }) =>
    decision.reply ? [{ turn, reply: deps.replies.toStore(turn.input, turn.message, decision) }] : [],
  );
  const merging = allOrThrow(
    decided.flatMap(({ turn, decision }) =>
      decision.reply ? [] : [mergeMessageMetadata(savepoint, turn.message.id, decision.analysed)],
    ),
  );
  const storing = storeReplies(
    savepoint,
    tenantId,
    replying.map(({ reply }) => reply),
  );
  await allOrThrow<unknown>([merging, storing]);
  const stored = await storing;
  const replyOf = new Map(replying.map(({ turn }, k) => [turn, stored[k]]));
  return new Map(
    decided.map(({ from, turn, decision }) => [
      from,
      { message: decision.message, reply: replyOf.get(turn), notified: decision.notified },
    ]),
  );
}

/** Waits for every promise to settle, then throws the first failure, if any. */
async function allOrThrow<T>(promises: Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}
