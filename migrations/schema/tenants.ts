import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps } from './columns.ts';
import { tenantPolicies } from './tenant-policy.ts';

/** Opening hours per weekday, as [["10:00", "19:00"]] ranges; an absent or empty day is closed. */
export type WeeklyHours = Partial<
  Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string][]>
>;

export const tenants = pgTable(
  'tenants',
  {
    id: id(),
    name: varchar({ length: 255 }).notNull(),
    slug: varchar({ length: 100 }).notNull().unique(),
    websiteUrl: varchar({ length: 500 }),
    contactEmail: varchar({ length: 255 }),
    settings: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    ...timestamps(),
  },
  (t) => [
    index('idx_tenants_slug').on(t.slug),
    check('tenants_slug_format', sql`${t.slug} ~ '^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$'`),
    ...tenantPolicies('id'),
  ],
).enableRLS();

/** How the widget looks and behaves on the tenant's site. One row per tenant. */
export const tenantWidgetConfigs = pgTable(
  'tenant_widget_configs',
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    primaryColor: varchar({ length: 7 }).default('#4f46e5').notNull(),
    textColor: varchar({ length: 7 }).default('#ffffff').notNull(),
    position: varchar({ length: 10 }).default('right').notNull(),
    greeting: text(),
    launcherLabel: varchar({ length: 60 }),
    language: varchar({ length: 5 }).default('auto').notNull(),
    /** Origins allowed to open the widget's websocket; empty means any origin. */
    allowedOrigins: text().array().default(sql`'{}'::text[]`).notNull(),
    avatarUrl: varchar({ length: 500 }),
    /** Show the team's support hours (from the business profile) in the widget's header. */
    showBusinessHours: boolean().default(true).notNull(),
    /** identify() must carry HMAC-SHA256(user id, identity secret); unverified ones are refused. */
    identityVerification: boolean().default(false).notNull(),
    /** The identity secret, AES-256-GCM encrypted with the server's key; null until generated. */
    identitySecret: text(),
    ...timestamps(),
  },
  (t) => [
    check(
      'widget_identity_needs_secret',
      sql`not ${t.identityVerification} or ${t.identitySecret} is not null`,
    ),
    check('widget_position', sql`${t.position} in ('right', 'left')`),
    check('widget_language', sql`${t.language} in ('auto', 'fr', 'en')`),
    check(
      'widget_colors',
      sql`${t.primaryColor} ~ '^#[0-9a-fA-F]{6}$' and ${t.textColor} ~ '^#[0-9a-fA-F]{6}$'`,
    ),
    ...tenantPolicies(),
  ],
).enableRLS();

/** What the bot knows about the business itself. One row per tenant. */
export const tenantBusinessProfiles = pgTable(
  'tenant_business_profiles',
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    description: text(),
    language: varchar({ length: 5 }).default('fr').notNull(),
    tone: text(),
    timezone: varchar({ length: 64 }).default('Europe/Paris').notNull(),
    /** When the shop (or office) is open. */
    openingHours: jsonb().$type<WeeklyHours>().default({}).notNull(),
    /** When humans answer conversations; drives "a human will answer at …". */
    supportHours: jsonb().$type<WeeklyHours>().default({}).notNull(),
    address: text(),
    phone: varchar({ length: 50 }),
    email: varchar({ length: 255 }),
    escalationEmail: varchar({ length: 255 }),
    calcomUrl: varchar({ length: 500 }),
    ...timestamps(),
  },
  () => [...tenantPolicies()],
).enableRLS();

/** Operators: the people who answer escalations and manage the tenant. */
export const users = pgTable(
  'users',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: varchar({ length: 255 }).notNull(),
    name: varchar({ length: 255 }),
    passwordHash: text(),
    role: varchar({ length: 20 }).default('agent').notNull(),
    lastLoginAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique('users_tenant_email').on(t.tenantId, t.email),
    index('idx_users_tenant').on(t.tenantId),
    check('users_role', sql`${t.role} in ('owner', 'admin', 'agent', 'viewer')`),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Admin API keys. Only a SHA-256 of the key is kept; the key itself is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    name: varchar({ length: 100 }).notNull(),
    keyPrefix: varchar({ length: 16 }).notNull(),
    keyHash: char({ length: 64 }).notNull().unique(),
    active: boolean().default(true).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('idx_api_keys_tenant').on(t.tenantId), ...tenantPolicies()],
).enableRLS();
