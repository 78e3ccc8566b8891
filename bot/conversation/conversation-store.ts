import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { arrayLiteral } from '../../db/array-literal.ts';
import { queryRows, type Tx } from '../../db/database.ts';
import { conversationMessages, conversations } from '../../migrations/schema/index.ts';
import { HUMAN_OWNED } from '../escalation/handoff.ts';

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
        update conversations set last_seq = last_seq + 1, last_message_at = now(),
               answered_seq = case when ${message.role} = 'agent' then last_seq + 1 else answered_seq end
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

/** A conversations row as raw SQL returns it. */
export interface ConversationRow extends Record<string, unknown> {
  id: string;
  tenant_id: string;
  user_id: string;
  channel: string;
  status: string;
  last_message_at: Date | string | null;
  last_seq: number;
  visitor_acked_seq: number;
  answered_seq: number;
  metadata: Record<string, unknown> | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export function fromConversationRow(row: ConversationRow): Conversation {
  const metadata = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
  const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    userId: String(row.user_id),
    channel: String(row.channel),
    status: String(row.status),
    lastMessageAt: row.last_message_at === null ? null : date(row.last_message_at),
    lastSeq: Number(row.last_seq),
    visitorAckedSeq: Number(row.visitor_acked_seq),
    answeredSeq: Number(row.answered_seq),
    metadata: metadata ?? {},
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** The conversations of these ids that the transaction's tenant owns. */
export async function getConversations(tx: Tx, conversationIds: readonly string[]): Promise<Conversation[]> {
  const rows = await queryRows<ConversationRow>(
    tx,
    sql`select * from conversations where id = any(${`{${conversationIds.join(',')}}`}::uuid[])`,
  );
  return rows.map(fromConversationRow);
}

/** The newest `limit` messages of each conversation, oldest first within each. */
export async function newestMessagesOf(
  tx: Tx,
  conversationIds: readonly string[],
  limit: number,
): Promise<Map<string, StoredMessage[]>> {
  const rows = await queryRows<MessageRow>(
    tx,
    sql`select m.* from unnest(${`{${conversationIds.join(',')}}`}::uuid[]) as c(id)
        cross join lateral (
          select * from conversation_messages
          where conversation_id = c.id order by seq desc limit ${limit}
        ) as m`,
  );
  const byConversation = new Map<string, StoredMessage[]>(conversationIds.map((id) => [id, []]));
  for (const row of rows) byConversation.get(String(row.conversation_id))?.push(fromMessageRow(row));
  for (const messages of byConversation.values()) messages.sort((a, b) => a.seq - b.seq);
  return byConversation;
}

export interface NewReply {
  tenantId: string;
  conversationId: string;
  /** The customer message it answers. */
  answers: { id: string; seq: number };
  /** Keys added to that message's metadata whatever becomes of the reply (its analysis). */
  answeredMetadata: Record<string, unknown>;
  role: MessageRole;
  content: string;
  metadata: Record<string, unknown>;
}

/**
 * Locks the conversations' rows, in id order, until the transaction ends. Statements that then
 * update many of them at once cannot deadlock with one another: every writer of this module takes
 * its rows in that one order, whatever order a multi-row update would have met them in.
 */
function lockInOrder(tx: Tx, conversationIds: readonly string[]) {
  return queryRows(
    tx,
    sql`select id from conversations where id = any(${`{${conversationIds.join(',')}}`}::uuid[]) order by id for update`,
  );
}

/**
 * appendMessage for messages of distinct conversations, in two statements whatever their number:
 * the conversations are locked in order, then every message is numbered and stored by one
 * statement. Returns one result per message, in order; a message of a conversation the tenant
 * does not have fails the whole call.
 */
export async function appendMessages(
  tx: Tx,
  tenantId: string,
  messages: readonly NewMessage[],
): Promise<Awaited<ReturnType<typeof appendMessage>>[]> {
  const ids = messages.map((m) => m.conversationId);
  if (new Set(ids).size !== ids.length) throw new Error('appendMessages takes one message per conversation');
  // Arrays rather than one JSON document: the planner takes an unnested array for a few rows,
  // and joins them to the tables through their keys, where it takes json_to_recordset for a
  // hundred and scans a whole table to hash it.
  const input = {
    ids: arrayLiteral(ids),
    roles: arrayLiteral(messages.map((m) => m.role)),
    contents: arrayLiteral(messages.map((m) => m.content)),
    clientIds: arrayLiteral(messages.map((m) => m.clientId ?? null)),
    metadata: arrayLiteral(messages.map((m) => JSON.stringify(m.metadata ?? {}))),
  };
  const [, rows] = await Promise.all([
    lockInOrder(tx, ids),
    queryRows<MessageRow & { duplicate: boolean; conversation_last_seq: number }>(
      tx,
      sql`
        with input as (
          select * from unnest(${input.ids}::uuid[], ${input.roles}::varchar[], ${input.contents}::text[],
                               ${input.clientIds}::varchar[], ${input.metadata}::jsonb[])
            as i(conversation_id, role, content, client_id, metadata)
        ), existing as (
          select m.* from input i
          join conversation_messages m on m.conversation_id = i.conversation_id and m.client_id = i.client_id
        ), numbered as (
          update conversations c
          set last_seq = c.last_seq + 1, last_message_at = now(),
              answered_seq = case when i.role = 'agent' then c.last_seq + 1 else c.answered_seq end
          from input i
          where c.id = i.conversation_id
            and not exists (select 1 from existing e where e.conversation_id = i.conversation_id)
          returning c.id, c.last_seq
        ), inserted as (
          insert into conversation_messages (tenant_id, conversation_id, seq, role, content, client_id, metadata)
          select ${tenantId}, i.conversation_id, n.last_seq, i.role, i.content, i.client_id, i.metadata
          from input i join numbered n on n.id = i.conversation_id
          returning *
        )
        select *, false as duplicate, seq as conversation_last_seq from inserted
        union all
        select e.*, true as duplicate, c.last_seq as conversation_last_seq
        from existing e join conversations c on c.id = e.conversation_id`,
    ),
  ]);
  const byConversation = new Map(rows.map((row) => [String(row.conversation_id), row]));
  return messages.map((m) => {
    const row = byConversation.get(m.conversationId);
    if (!row) throw new Error(`no conversation ${m.conversationId} for this tenant`);
    return {
      message: fromMessageRow(row),
      duplicate: row.duplicate,
      lastSeq: Number(row.conversation_last_seq),
    };
  });
}

/**
 * Stores replies, each unless it must not be: when a human owns the conversation, or when the
 * message was answered already (a human wrote after it, or another process's reply to the same
 * redelivered message was stored), which the conversation's status and answered_seq tell. The
 * conversations (distinct) are locked in order, then one statement adds each answered message's
 * analysis, whatever becomes of its reply, and stores the replies that still may be; holding the
 * locks, it sees whatever was committed before, so a bot and a human never both answer. Returns,
 * per reply, the reply when it was stored, with the conversation as it left it.
 */
export async function appendReplies(
  tx: Tx,
  tenantId: string,
  replies: readonly NewReply[],
): Promise<{ conversation: Conversation | undefined; stored: StoredMessage | undefined }[]> {
  const ids = replies.map((r) => r.conversationId);
  if (new Set(ids).size !== ids.length) throw new Error('appendReplies takes one reply per conversation');
  const input = {
    ids: arrayLiteral(ids),
    answers: arrayLiteral(replies.map((r) => r.answers.id)),
    answersSeq: arrayLiteral(replies.map((r) => r.answers.seq)),
    analysis: arrayLiteral(replies.map((r) => JSON.stringify(r.answeredMetadata))),
    roles: arrayLiteral(replies.map((r) => r.role)),
    contents: arrayLiteral(replies.map((r) => r.content)),
    metadata: arrayLiteral(replies.map((r) => JSON.stringify(r.metadata))),
  };
  const [, rows] = await Promise.all([
    lockInOrder(tx, ids),
    queryRows<MessageRow & { conversation: ConversationRow | string }>(
      tx,
      sql`
        with input as (
          select * from unnest(${input.ids}::uuid[], ${input.answers}::uuid[], ${input.answersSeq}::int[],
                               ${input.analysis}::jsonb[], ${input.roles}::varchar[], ${input.contents}::text[],
                               ${input.metadata}::jsonb[])
            as i(conversation_id, answers_id, answers_seq, analysis, role, content, metadata)
        ), merged as (
          update conversation_messages m set metadata = m.metadata || i.analysis
          from input i where m.id = i.answers_id
        ), numbered as (
          update conversations c
          set last_seq = c.last_seq + 1, last_message_at = now(),
              answered_seq = greatest(c.answered_seq, i.answers_seq)
          from input i
          where c.id = i.conversation_id and c.status <> ${HUMAN_OWNED} and c.answered_seq < i.answers_seq
          returning c.*
        ), inserted as (
          insert into conversation_messages (tenant_id, conversation_id, seq, role, content, metadata)
          select ${tenantId}, i.conversation_id, n.last_seq, i.role, i.content, i.metadata
          from input i join numbered n on n.id = i.conversation_id
          returning *
        )
        select inserted.*, to_jsonb(n) as conversation from inserted join numbered n on n.id = inserted.conversation_id`,
    ),
  ]);
  const byConversation = new Map(rows.map((row) => [String(row.conversation_id), row]));
  return replies.map((r) => {
    const row = byConversation.get(r.conversationId);
    if (!row) return { conversation: undefined, stored: undefined };
    const conversation =
      typeof row.conversation === 'string' ? JSON.parse(row.conversation) : row.conversation;
    return { conversation: fromConversationRow(conversation), stored: fromMessageRow(row) };
  });
}
