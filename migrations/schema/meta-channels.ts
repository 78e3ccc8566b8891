import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { conversationMessages, conversations } from './conversations.ts';
import { socialAccounts } from './social-accounts.ts';
import { definerPolicy, tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/**
 * Webhook deliveries from Meta, stored as received (after their signature was checked) before the
 * 200 goes out, and processed afterwards. A delivery may hold events of several tenants, so the
 * table belongs to none: no tenant policy, and the app role reaches it only through the SECURITY
 * DEFINER functions of the migration that creates it.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: id(),
    /** Arrival order: deliveries are processed oldest first. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    platform: varchar({ length: 20 }).notNull(),
    /** Meta resends a delivery byte for byte; its hash spots the copy. */
    bodySha256: char({ length: 64 }).notNull(),
    body: text().notNull(),
    receivedAt: createdAt(),
    /** pending → done | failed. */
    status: varchar({ length: 20 }).default('pending').notNull(),
    attempts: integer().default(0).notNull(),
    /** A worker that claimed the event owns it until then; after that another may take it. */
    lockedUntil: timestamp({ withTimezone: true }),
    processedAt: timestamp({ withTimezone: true }),
    lastError: text(),
  },
  (t) => [
    unique('webhook_events_body').on(t.platform, t.bodySha256),
    index('idx_webhook_events_pending').on(t.id).where(sql`${t.status} = 'pending'`),
    index('idx_webhook_events_received').on(t.receivedAt),
    check('webhook_events_status', sql`${t.status} in ('pending', 'done', 'failed')`),
    definerPolicy(),
  ],
).enableRLS();

/**
 * Per-tenant rules for sending on Meta channels: the WhatsApp template used outside the 24-hour
 * window, and whether the Instagram app may use the HUMAN_AGENT tag.
 */
export const channelSettings = pgTable(
  'channel_settings',
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    whatsappTemplateName: varchar({ length: 512 }),
    whatsappTemplateLanguage: varchar({ length: 15 }),
    /** Whether the template has a body parameter {{1}} that receives the reply's text. */
    whatsappTemplateTextParameter: boolean().default(false).notNull(),
    /** The Meta app has the Human Agent permission, so operators may answer up to 7 days later. */
    instagramHumanAgent: boolean().default(true).notNull(),
    ...timestamps(),
  },
  () => [...tenantPolicies()],
).enableRLS();

/**
 * The customer at the other end of a WhatsApp or Instagram conversation: where replies go, through
 * which connected account, and when the customer last wrote (the 24-hour window opens then).
 */
export const channelContacts = pgTable(
  'channel_contacts',
  {
    conversationId: uuid()
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    platform: varchar({ length: 20 }).notNull(),
    /** The account that last heard from the customer; replies leave through it. */
    socialAccountId: uuid().references(() => socialAccounts.id, { onDelete: 'set null' }),
    /** WhatsApp: the phone number (wa_id), absent for some username users. */
    waId: varchar({ length: 64 }),
    /** WhatsApp business-scoped user id, or the Instagram-scoped id (IGSID). */
    scopedUserId: varchar({ length: 255 }),
    profileName: varchar({ length: 255 }),
    username: varchar({ length: 255 }),
    /** The customer's latest message: the customer service window runs 24 hours from it. */
    lastInboundAt: timestamp({ withTimezone: true }),
    profileFetchedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('channel_contacts_wa_id')
      .on(t.tenantId, t.platform, t.waId)
      .where(sql`${t.waId} is not null`),
    uniqueIndex('channel_contacts_scoped_user')
      .on(t.tenantId, t.platform, t.scopedUserId)
      .where(sql`${t.scopedUserId} is not null`),
    ...tenantPolicies(),
  ],
).enableRLS();

/**
 * The outbox: every message (or part of a long one) to send through the Graph API, written in the
 * transaction that stores the message, then sent by a worker. It also keeps each send's result:
 * the platform's message id, the furthest status reached and any error.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: id(),
    /** Queue order: a conversation's parts leave in this order. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The stored message this part carries; none for a read receipt. */
    messageId: uuid().references(() => conversationMessages.id, { onDelete: 'cascade' }),
    socialAccountId: uuid().references(() => socialAccounts.id, { onDelete: 'set null' }),
    platform: varchar({ length: 20 }).notNull(),
    /** text | template | mark_read */
    kind: varchar({ length: 20 }).notNull(),
    /** Who wrote it: assistant (the bot) or agent (a human); the window rules differ. */
    authorRole: varchar({ length: 20 }).notNull(),
    partIndex: integer().default(0).notNull(),
    partCount: integer().default(1).notNull(),
    body: text().default('').notNull(),
    /** For mark_read: the customer's message id. */
    targetMessageId: varchar({ length: 512 }),
    /** pending, sending, sent, delivered, read, played, failed, refused. */
    status: varchar({ length: 20 }).default('pending').notNull(),
    attempts: integer().default(0).notNull(),
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    leaseUntil: timestamp({ withTimezone: true }),
    platformMessageId: varchar({ length: 512 }),
    /** How it was sent: RESPONSE, HUMAN_AGENT (Instagram tag) or the template's name. */
    sentAs: varchar({ length: 512 }),
    errorCode: integer(),
    errorSubcode: integer(),
    errorMessage: text(),
    /** Why it was refused or failed, in words an operator can act on. */
    reason: varchar({ length: 60 }),
    sentAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
    failedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique('outbound_messages_part').on(t.messageId, t.partIndex),
    index('idx_outbound_due').on(t.nextAttemptAt, t.id).where(sql`${t.status} in ('pending', 'sending')`),
    index('idx_outbound_conversation_open')
      .on(t.conversationId, t.seq)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('idx_outbound_platform_id').on(t.tenantId, t.platformMessageId),
    index('idx_outbound_message').on(t.messageId),
    // One read receipt per customer message, however often the message is delivered to us.
    uniqueIndex('outbound_messages_read_receipt')
      .on(t.tenantId, t.targetMessageId)
      .where(sql`${t.kind} = 'mark_read'`),
    check(
      'outbound_messages_status',
      sql`${t.status} in ('pending', 'sending', 'sent', 'delivered', 'read', 'played', 'failed', 'refused')`,
    ),
    check('outbound_messages_kind', sql`${t.kind} in ('text', 'template', 'mark_read')`),
    ...tenantPolicies(),
  ],
).enableRLS();
