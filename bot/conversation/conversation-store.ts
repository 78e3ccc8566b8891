import { and, asc, desc, eq, gt, or, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../migrations/database.ts';
import { conversationMessages, conversations } from '../../migrations/schema/index.ts';

export type Channel = 'widget' | 'whatsapp' | 'instagram';
/** user: the customer; assistant: the bot; agent: a human operator; system: notices. */
export type MessageRole = 'user' | 'assistant' | 'agent' | 'system';

export type Conversation = typeof conversations.$inferSelect;
export type StoredMessage = typeof conversationMessages.$inferSelect;

export interface NewMessage {
  tenantId: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  clientId?: string | null;
  metadata?: Record<string, unknown>;
}

/** The conversation of (tenant, user, channel), created on first contact. */
export async function openConversation(
  tx: Tx,
  tenantId: string,
  userId: string,
  channel: Channel,
): Promise<Conversation> {
  const [created] = await tx
    .insert(conversations)
    .values({ tenantId, userId, channel })
    .onConflictDoNothing({ target: [conversations.tenantId, conversations.userId, conversations.channel] })
    .returning();
  if (created) return created;
  const [existing] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.userId, userId),
        eq(conversations.channel, channel),
      ),
    );
  if (!existing) throw new Error('conversation vanished between insert and select');
  return existing;
}

export async function getConversation(tx: Tx, conversationId: string): Promise<Conversation | undefined> {
  const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
  return conversation;
}

/**
 * Appends a message with the conversation's next sequence number. A message whose clientId was
 * already stored is not stored again: the earlier copy comes back with `duplicate: true`.
 * Taking the number locks the conversation row, so concurrent appends are numbered in turn.
 * One statement, one round trip: this runs for every message of every conversation.
 */
export async function appendMessage(
  tx: Tx,
  message: NewMessage,
): Promise<{
  message: StoredMessage;
  duplicate: boolean;
  /** The conversation's last seq as this statement left it (past the message's if others followed). */
  lastSeq: number;
}> {
  const clientId = message.clientId ?? null;
  const [row] = await queryRows<MessageRow & { duplicate: boolean; conversation_last_seq: number }>(
    tx,
    sql`
      with existing as (
        select * from conversation_messages
        where ${clientId}::varchar is not null and conversation_id = ${message.conversationId} and client_id = ${clientId}
      ), numbered as (
        update conversations set last_seq = last_seq + 1, last_message_at = now()
        where id = ${message.conversationId} and not exists (select 1 from existing)
        returning last_seq
      ), inserted as (
        insert into conversation_messages (tenant_id, conversation_id, seq, role, content, client_id, metadata)
        select ${message.tenantId}, ${message.conversationId}, numbered.last_seq, ${message.role}, ${message.content},
               ${clientId}, ${JSON.stringify(message.metadata ?? {})}::jsonb
        from numbered
        returning *
      )
      select *, false as duplicate, seq as conversation_last_seq from inserted
      union all
      select *, true as duplicate,
             (select last_seq from conversations where id = ${message.conversationId}) as conversation_last_seq
      from existing`,
  );
  if (!row) throw new Error(`no conversation ${message.conversationId} for this tenant`);
  return {
    message: fromMessageRow(row),
    duplicate: row.duplicate,
    lastSeq: Number(row.conversation_last_seq),
  };
}

/** A conversation_messages row as raw SQL returns it. */
export interface MessageRow extends Record<string, unknown> {
  id: string;
  conversation_id: string;
  tenant_id: string;
  seq: number;
  role: string;
  content: string;
  client_id: string | null;
  metadata: Record<string, unknown> | string | null;
  created_at: Date | string;
}

/** A raw row (or its JSON, as a notification carries it) as drizzle would have read it. */
export function fromMessageRow(row: MessageRow): StoredMessage {
  const metadata = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
  return {
    id: String(row.id),
    conversationId: String(row.conversation_id),
    tenantId: String(row.tenant_id),
    seq: Number(row.seq),
    role: String(row.role),
    content: String(row.content),
    clientId: typeof row.client_id === 'string' ? row.client_id : null,
    metadata: metadata ?? {},
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

/** Messages numbered after `afterSeq`, oldest first. */
export function messagesAfter(tx: Tx, conversationId: string, afterSeq: number, limit: number) {
  return tx
    .select()
    .from(conversationMessages)
    .where(
      and(eq(conversationMessages.conversationId, conversationId), gt(conversationMessages.seq, afterSeq)),
    )
    .orderBy(asc(conversationMessages.seq))
    .limit(limit);
}

/** The newest `limit` messages, oldest first. */
export async function recentMessages(
  tx: Tx,
  conversationId: string,
  limit: number,
): Promise<StoredMessage[]> {
  const newest = await tx
    .select()
    .from(conversationMessages)
    .where(eq(conversationMessages.conversationId, conversationId))
    .orderBy(desc(conversationMessages.seq))
    .limit(limit);
  return newest.reverse();
}

/** The conversation, locked until the transaction ends (an answer and a takeover take turns). */
export async function lockConversation(tx: Tx, conversationId: string): Promise<Conversation | undefined> {
  const [conversation] = await tx
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  return conversation;
}

/** Whether a human operator wrote in the conversation after message `seq`. */
export async function humanAnsweredSince(tx: Tx, conversationId: string, seq: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: conversationMessages.id })
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, conversationId),
        gt(conversationMessages.seq, seq),
        eq(conversationMessages.role, 'agent'),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Whether message `seq` was answered already: by a human operator, or by a bot reply naming it
 * (a redelivered message that two processes each received).
 */
export async function answeredSince(
  tx: Tx,
  conversationId: string,
  message: { id: string; seq: number },
): Promise<boolean> {
  const [row] = await tx
    .select({ id: conversationMessages.id })
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, conversationId),
        gt(conversationMessages.seq, message.seq),
        or(
          eq(conversationMessages.role, 'agent'),
          and(
            eq(conversationMessages.role, 'assistant'),
            sql`${conversationMessages.metadata} ->> 'reply_to' = ${message.id}`,
          ),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Adds keys to a message's metadata, keeping the others. */
export async function mergeMessageMetadata(
  tx: Tx,
  messageId: string,
  metadata: Record<string, unknown>,
): Promise<void> {
  await tx
    .update(conversationMessages)
    .set({ metadata: sql`${conversationMessages.metadata} || ${JSON.stringify(metadata)}::jsonb` })
    .where(eq(conversationMessages.id, messageId));
}
