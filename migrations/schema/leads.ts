import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { id, timestamps, tsvector } from './columns.ts';
import { conversations } from './conversations.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

export const leads = pgTable(
  'leads',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    conversationId: uuid().references(() => conversations.id, { onDelete: 'set null' }),
    name: varchar({ length: 255 }),
    email: varchar({ length: 255 }),
    phone: varchar({ length: 50 }),
    company: varchar({ length: 255 }),
    /** What the customer said they want, in their words. */
    need: text(),
    score: varchar({ length: 20 }),
    /** 0–100; `score` is its band (hot, warm, cold). */
    scoreValue: integer(),
    status: varchar({ length: 50 }).default('new').notNull(),
    notes: text(),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('causette_simple'::regconfig, coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))`,
    ),
    ...timestamps(),
  },
  (t) => [
    check('leads_score', sql`${t.score} in ('hot', 'warm', 'cold')`),
    check('leads_score_value', sql`${t.scoreValue} between 0 and 100`),
    index('idx_leads_tenant').on(t.tenantId),
    index('idx_leads_score').on(t.score),
    index('idx_leads_status').on(t.status),
    index('idx_leads_search').using('gin', t.searchVector),
    index('idx_leads_email').on(t.email).where(sql`${t.email} is not null`),
    uniqueIndex('leads_conversation').on(t.conversationId),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Each time a lead's score changes: the score, the signals that produced it and why. */
export const leadScores = pgTable(
  'lead_scores',
  {
    id: id(),
    leadId: uuid()
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    score: varchar({ length: 20 }).notNull(),
    scoreValue: integer().notNull(),
    signals: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    reasoning: text(),
    scoredAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('lead_scores_score', sql`${t.score} in ('hot', 'warm', 'cold')`),
    index('idx_lead_scores_lead').on(t.leadId, t.scoredAt.desc()),
    ...tenantPolicies(),
  ],
).enableRLS();
