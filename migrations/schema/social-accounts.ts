import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/** Instagram and WhatsApp accounts a tenant has connected. */
export const socialAccounts = pgTable(
  'social_accounts',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    platform: varchar({ length: 50 }).notNull(),
    accountId: varchar({ length: 255 }).notNull(),
    accountUsername: varchar({ length: 255 }),
    /** Encrypted at rest; never stored or logged in clear. */
    accessToken: text(),
    tokenExpiresAt: timestamp({ withTimezone: true }),
    webhookVerifyToken: varchar({ length: 255 }),
    isActive: boolean().default(true),
    /**
     * Which Graph host the token belongs to: 'facebook' (graph.facebook.com: WhatsApp, and
     * Instagram through a Facebook Page) or 'instagram' (graph.instagram.com, Instagram Login).
     */
    graphApi: varchar({ length: 20 }).default('facebook').notNull(),
    ...timestamps(),
  },
  (t) => [
    check('social_accounts_graph_api', sql`${t.graphApi} in ('facebook', 'instagram')`),
    unique('social_accounts_platform_account').on(t.platform, t.accountId),
    index('idx_social_accounts_tenant').on(t.tenantId),
    index('idx_social_accounts_platform').on(t.platform, t.accountId),
    ...tenantPolicies(),
  ],
).enableRLS();
