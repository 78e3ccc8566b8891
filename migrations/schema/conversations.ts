import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/** One conversation per (tenant, user, channel). */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: varchar({ length: 255 }).notNull(),
    channel: varchar({ length: 50 }).notNull(),
    status: varchar({ length: 50 }).default('open').notNull(),
    lastMessageAt: timestamp({ withTimezone: true }).defaultNow(),
    /** Sequence number of the newest message; each message takes the next one. */
    lastSeq: integer().default(0).notNull(),
    /** The highest seq the visitor's widget acknowledged receiving (delivery, for operators). */
    visitorAckedSeq: integer().default(0).notNull(),
    /**
     * The newest seq past which the bot must not answer: that of the newest customer message it
     * answered, or of the newest message a human wrote. A reply checks it in the very statement
     * that stores it, so a human's message or another process's reply committed meanwhile is seen.
     */
    answeredSeq: integer().default(0).notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    ...timestamps(),
  },
  (t) => [
    unique('conversations_tenant_user_channel').on(t.tenantId, t.userId, t.channel),
    index('idx_conversations_tenant').on(t.tenantId),
    index('idx_conversations_status').on(t.status),
    index('idx_conversations_last_message').on(t.lastMessageAt.desc()),
    ...tenantPolicies(),
  ],
).enableRLS();

export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: id(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Copied from the conversation so that row level security needs no join. */
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… within the conversation, with no gaps; clients resume from the last one they saw. */
    seq: integer().notNull(),
    role: varchar({ length: 20 }).notNull(),
    content: text().notNull(),
    /**
     * The sender's own id for the message, so a retried send is stored once: the widget's id, or
     * the WhatsApp wamid / Instagram mid, which can be a few hundred characters long.
     */
    clientId: varchar({ length: 512 }),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('conversation_messages_seq').on(t.conversationId, t.seq),
    unique('conversation_messages_client_id').on(t.conversationId, t.clientId),
    index('idx_messages_conversation').on(t.conversationId, t.createdAt),
    index('idx_messages_created').on(t.createdAt.desc()),
    index('idx_messages_tenant').on(t.tenantId),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Conversations handed to a human. */
export const escalations = pgTable(
  'escalations',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    reason: varchar({ length: 255 }).notNull(),
    summary: text(),
    status: varchar({ length: 50 }).default('pending').notNull(),
    assignedTo: varchar({ length: 255 }),
    resolvedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index('idx_escalations_tenant').on(t.tenantId),
    index('idx_escalations_conversation').on(t.conversationId),
    index('idx_escalations_status').on(t.status),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Meetings booked through the tenant's Cal.com link. */
export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid().references(() => conversations.id, { onDelete: 'set null' }),
    userId: varchar({ length: 255 }).notNull(),
    meetingUrl: varchar({ length: 500 }),
    scheduledAt: timestamp({ withTimezone: true }),
    durationMinutes: integer().default(30),
    status: varchar({ length: 50 }).default('scheduled').notNull(),
    calEventId: varchar({ length: 255 }),
    ...timestamps(),
  },
  (t) => [
    index('idx_meetings_tenant').on(t.tenantId),
    index('idx_meetings_conversation').on(t.conversationId),
    ...tenantPolicies(),
  ],
).enableRLS();
