import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { conversations, escalations } from './conversations.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/**
 * A tenant's intents: its own, or changes to a built-in one (more examples, a new description,
 * switched off). Built-in intents with no row here apply as shipped.
 */
export const intents = pgTable(
  'intents',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: varchar({ length: 64 }).notNull(),
    description: text(),
    /** Example messages, each with its language. Added to a built-in intent's own examples. */
    examples: jsonb().$type<{ text: string; lang: 'fr' | 'en' }[]>().default([]).notNull(),
    enabled: boolean().default(true).notNull(),
    ...timestamps(),
  },
  (t) => [
    unique('intents_tenant_name').on(t.tenantId, t.name),
    check('intents_name_format', sql`${t.name} ~ '^[a-z][a-z0-9_]{0,63}$'`),
    ...tenantPolicies(),
  ],
).enableRLS();

/** How the bot behaves for a tenant: when it hands over to a human, and how the tenant is told. */
export const tenantBotSettings = pgTable(
  'tenant_bot_settings',
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** An answer whose confidence is below this counts as "not sure". */
    confidenceThreshold: real().default(0.5).notNull(),
    /** This many "not sure" answers in a row hand the conversation to a human; 0 never does. */
    lowConfidenceTurns: integer().default(2).notNull(),
    /** Intents that hand the conversation to a human as soon as they are detected. */
    escalationIntents: text()
      .array()
      .default(sql`'{human_agent,complaint,returns_refund}'::text[]`)
      .notNull(),
    /** Sentiment from -1 (furious) to 1 (delighted) at or below which a human takes over. */
    negativeSentimentThreshold: real().default(-0.6).notNull(),
    escalateOnNegativeSentiment: boolean().default(true).notNull(),
    /** How many recent turns the LLM sees verbatim; older ones are summarised. */
    memoryTurns: integer().default(10).notNull(),
    /** Where escalations and hot leads are posted, signed with the secret below. */
    webhookUrl: varchar({ length: 500 }),
    /** The webhook signing secret, encrypted with the server's key (AES-256-GCM). */
    webhookSecretEncrypted: text(),
    /** Addresses told by email; the business profile's escalation email when empty. */
    notifyEmails: text().array().default(sql`'{}'::text[]`).notNull(),
    ...timestamps(),
  },
  (t) => [
    check('bot_settings_threshold', sql`${t.confidenceThreshold} between 0 and 1`),
    check('bot_settings_turns', sql`${t.lowConfidenceTurns} between 0 and 20`),
    check('bot_settings_sentiment', sql`${t.negativeSentimentThreshold} between -1 and 0`),
    check('bot_settings_memory', sql`${t.memoryTurns} between 1 and 50`),
    ...tenantPolicies(),
  ],
).enableRLS();

/**
 * Every message sent to the tenant's people or systems (escalation and lead alerts), by webhook
 * or email. A row is written in the transaction that causes it, then delivered with retries.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** 'escalation.created', 'lead.hot'… */
    event: varchar({ length: 64 }).notNull(),
    channel: varchar({ length: 20 }).notNull(),
    /** The URL or the email address. */
    target: varchar({ length: 500 }).notNull(),
    escalationId: uuid().references(() => escalations.id, { onDelete: 'cascade' }),
    conversationId: uuid().references(() => conversations.id, { onDelete: 'cascade' }),
    payload: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    status: varchar({ length: 20 }).default('pending').notNull(),
    attempts: integer().default(0).notNull(),
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    /** Until then the row is being delivered by a process and no other takes it. */
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    check('notifications_channel', sql`${t.channel} in ('webhook', 'email')`),
    check('notifications_status', sql`${t.status} in ('pending', 'sent', 'failed')`),
    index('idx_notifications_tenant').on(t.tenantId, t.createdAt.desc()),
    index('idx_notifications_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('idx_notifications_escalation').on(t.escalationId),
    ...tenantPolicies(),
  ],
).enableRLS();

/** The running summary of a conversation's older turns, which the LLM reads instead of them. */
export const conversationMemories = pgTable(
  'conversation_memories',
  {
    conversationId: uuid()
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    summary: text().notNull(),
    /** Messages up to this seq are in the summary. */
    throughSeq: integer().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  () => [...tenantPolicies()],
).enableRLS();
