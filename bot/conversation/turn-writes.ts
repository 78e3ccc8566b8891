import { batched, byGroup } from '../../db/batched.ts';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import {
  appendMessages,
  appendReplies,
  type Conversation,
  type NewMessage,
  type NewReply,
  type StoredMessage,
} from './conversation-store.ts';
import { loadTurnStates, type TurnState, type TurnStateDeps } from './turn-state.ts';

export type AppendResult = Awaited<ReturnType<typeof appendMessages>>[number];

/** A customer's message as stored, with the state its turn starts from (the conversation after it). */
export interface Intake<A = never> {
  appended: AppendResult;
  state: TurnState;
  /** The turn's answer, when it was given in the transaction that stored the message. */
  answered?: A | undefined;
}

/** A message the intake just stored, offered to be answered in the same transaction. */
export interface StoredTurn {
  message: NewMessage;
  appended: AppendResult;
  state: TurnState;
}

/**
 * Answers, in the intake's transaction `tx` (scoped to `tenantId`), the turns it can: the answer
 * of each turn it answered; the others are answered once their messages are committed. It must
 * leave `tx` usable whatever happens to its own statements (a savepoint).
 */
export type InTransactionAnswerer<A> = (
  tx: Tx,
  tenantId: string,
  turns: readonly StoredTurn[],
) => Promise<ReadonlyMap<StoredTurn, A>>;

/**
 * Customers' messages stored in batches (see batched.ts): one transaction per tenant for all the
 * messages that arrived meanwhile, a couple of statements for all of them (appendMessages), or a
 * couple per round when one conversation has several; and, sent with them, the reads of the
 * turns that will answer them, so that a turn costs no transaction of its own to start.
 */
export function createMessageIntake<A = never>(
  deps: TurnStateDeps,
  answer?: InTransactionAnswerer<A>,
): (message: NewMessage) => Promise<Intake<A>> {
  return batched((messages: NewMessage[]) =>
    byGroup(
      messages,
      (message) => message.tenantId,
      async (tenantId, group) => {
        const ids = group.map((message) => message.conversationId);
        const { turns, read, answered } = await withTenant(deps.db, tenantId, async (tx) => {
          const writing = inRounds(
            group,
            (message) => message.conversationId,
            (round) => appendMessages(tx, tenantId, round),
          );
          const stored = writing.then(
            (results) =>
              new Map(results.filter((r) => !r.duplicate).map((r) => [r.message.conversationId, r.message])),
          );
          const [appended, loaded] = await Promise.all([
            writing,
            loadTurnStates(deps, tx, tenantId, ids, stored),
          ]);
          const turns = group.map(
            (message, i): StoredTurn => ({ message, appended: appended[i]!, state: loaded.states[i]! }),
          );
          const answered = answer ? await answer(tx, tenantId, turns) : new Map<StoredTurn, A>();
          return { turns, read: loaded.read, answered };
        });
        // Cached only now that they are committed.
        for (const [conversationId, messages] of read) deps.recent.set(conversationId, messages);
        return turns.map(
          (turn): Intake<A> => ({ appended: turn.appended, state: turn.state, answered: answered.get(turn) }),
        );
      },
    ),
  );
}

/** A bot reply to store, with what must be written with it in the same transaction. */
export interface ReplyToStore extends NewReply {
  /** Called in the reply's transaction once it is stored (an escalation, an outbox entry). */
  alsoInTransaction?: (tx: Tx, conversation: Conversation, stored: StoredMessage) => Promise<number>;
}

export interface ReplyResult {
  conversation: Conversation | undefined;
  stored: StoredMessage | undefined;
  /** What `alsoInTransaction` returned (notifications queued). */
  also: number;
}

/**
 * Bot replies stored in batches, each only if it still may be (appendReplies): one transaction per
 * tenant, the replies' statements sent together, then what each stored reply brings with it.
 */
export function createReplyAppender(db: Db): (reply: ReplyToStore) => Promise<ReplyResult> {
  return batched((replies: ReplyToStore[]) =>
    byGroup(
      replies,
      (reply) => reply.tenantId,
      (tenantId, group) => withTenant(db, tenantId, (tx) => storeReplies(tx, tenantId, group)),
    ),
  );
}

/** Replies of one tenant stored in `tx`, each only if it still may be, with what each brings. */
export async function storeReplies(tx: Tx, tenantId: string, group: ReplyToStore[]): Promise<ReplyResult[]> {
  const appended = await inRounds(
    group,
    (reply) => reply.conversationId,
    (round) => appendReplies(tx, tenantId, round),
  );
  const results: ReplyResult[] = [];
  // One after another: a transaction is one connection, and these are rare (escalations) or
  // small (an outbox row).
  for (const [i, reply] of group.entries()) {
    const { conversation, stored } = appended[i]!;
    const also =
      conversation && stored && reply.alsoInTransaction
        ? await reply.alsoInTransaction(tx, conversation, stored)
        : 0;
    results.push({ conversation, stored, also });
  }
  return results;
}

/**
 * Writes items in rounds of at most one item per conversation, one after another in arrival
 * order (a conversation's second message is numbered after its first); returns the results in
 * the items' order.
 */
async function inRounds<I, O>(
  items: I[],
  conversationOf: (item: I) => string,
  write: (round: I[]) => Promise<O[]>,
): Promise<O[]> {
  const rounds: number[][] = [];
  const taken = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const conversation = conversationOf(item);
    const round = taken.get(conversation) ?? 0;
    taken.set(conversation, round + 1);
    const members = rounds[round];
    if (members) members.push(i);
    else rounds[round] = [i];
  }
  const results = new Array<O>(items.length);
  for (const round of rounds) {
    const written = await write(round.map((i) => items[i]!));
    for (const [j, i] of round.entries()) results[i] = written[j]!;
  }
  return results;
}
