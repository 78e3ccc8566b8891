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
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { appRole, tenantPolicy } from './tenant-policy.ts';
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
    tenantPolicy(),
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
    tenantPolicy(),
    pgPolicy('global_models_readable', {
      as: 'permissive',
      for: 'select',
      to: appRole,
      using: sql`tenant_id is null`,
    }),
  ],
).enableRLS();
