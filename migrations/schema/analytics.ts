import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/** The day's topics, from clustering the customers' messages. */
export const topicsDaily = pgTable(
  'topics_daily',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    date: date().notNull(),
    topicId: integer().notNull(),
    topicLabel: varchar({ length: 255 }),
    keywords: text().array(),
    messageCount: integer().default(0).notNull(),
    percentage: numeric({ precision: 5, scale: 2 }),
    sampleMessages: jsonb().$type<string[]>().default([]).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('topics_daily_tenant_date_topic').on(t.tenantId, t.date, t.topicId),
    index('idx_topics_tenant_date').on(t.tenantId, t.date.desc()),
    ...tenantPolicies(),
  ],
).enableRLS();

/**
 * One row per (tenant, day) whose topics were computed, written in the same transaction as the
 * day's topics: it tells "no customer wrote that day" apart from "not computed yet", and the
 * daily job skips days that have one.
 */
export const topicRuns = pgTable(
  'topic_runs',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    date: date().notNull(),
    /** The tenant's time zone when computed: the day ran from its midnight to the next. */
    timezone: varchar({ length: 64 }).notNull(),
    /** Customer messages of the day. */
    messageCount: integer().notNull(),
    /** Those with words to cluster (not "merci" or an emoji alone): the base of the percentages. */
    clusteredCount: integer().notNull(),
    /** Customer messages the bot could not answer (abstained or unsure). */
    unansweredCount: integer().notNull(),
    /** How messages became vectors: "tfidf" offline, or the embedding model. */
    method: varchar({ length: 255 }).notNull(),
    computedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [unique('topic_runs_tenant_date').on(t.tenantId, t.date), ...tenantPolicies()],
).enableRLS();

/** The day's questions the bot could not answer, grouped by similarity, most asked first. */
export const unansweredQuestionsDaily = pgTable(
  'unanswered_questions_daily',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    date: date().notNull(),
    /** 0 for the most asked group of the day, then 1, 2… */
    groupId: integer().notNull(),
    /** The group's most representative question, as a customer wrote it. */
    question: text().notNull(),
    keywords: text().array(),
    messageCount: integer().notNull(),
    /** Ids of representative messages (conversation_messages). */
    sampleMessages: jsonb().$type<string[]>().default([]).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('unanswered_questions_daily_tenant_date_group').on(t.tenantId, t.date, t.groupId),
    index('idx_unanswered_tenant_date').on(t.tenantId, t.date.desc()),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Fine-tuned model versions; a NULL tenant marks a global model every tenant may read. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: id(),
    tenantId: uuid().references(() => tenants.id, { onDelete: 'cascade' }),
    modelName: varchar({ length: 255 }).notNull(),
    baseModel: varchar({ length: 255 }).notNull(),
    trainingDatasetId: varchar({ length: 255 }),
    version: varchar({ length: 50 }).notNull(),
    status: varchar({ length: 50 }).default('training').notNull(),
    metrics: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    isActive: boolean().default(false).notNull(),
    ...timestamps(),
  },
  (t) => [
    index('idx_model_versions_tenant').on(t.tenantId),
    index('idx_model_versions_active').on(t.isActive),
    ...tenantPolicies(),
    pgPolicy('global_models_readable', {
      as: 'permissive',
      for: 'select',
      to: 'public',
      using: sql`tenant_id is null`,
    }),
  ],
).enableRLS();
