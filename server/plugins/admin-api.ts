import type { FastifyPluginAsync } from 'fastify';
import type { Bot } from '../../bot/create-bot.ts';
import type { Db } from '../../db/database.ts';
import { resolveApiKey } from '../auth/api-keys.ts';
import { Errors } from '../errors.ts';
import type { Knowledge } from '../services/create-knowledge.ts';
import type { TenantDirectory } from '../tenant-directory.ts';
import { botSettingsRoutes } from './admin/bot-settings-routes.ts';
import { conversationRoutes } from './admin/conversation-routes.ts';
import { documentRoutes } from './admin/document-routes.ts';
import { escalationRoutes } from './admin/escalation-routes.ts';
import { faqRoutes } from './admin/faq-routes.ts';
import { identityRoutes } from './admin/identity-routes.ts';
import { intentRoutes } from './admin/intent-routes.ts';
import { jobRoutes } from './admin/job-routes.ts';
import { leadRoutes } from './admin/lead-routes.ts';
import { notificationRoutes } from './admin/notification-routes.ts';
import { type SocialAccountRoutesOptions, socialAccountRoutes } from './admin/social-account-routes.ts';
import { tenantRoutes } from './admin/tenant-routes.ts';
import { topicRoutes } from './admin/topic-routes.ts';
import { websiteRoutes } from './admin/website-routes.ts';
import { perMinute } from './rate-limit.ts';

export interface AdminApiOptions {
  /** Requests per client address per minute, counted before the API key is looked up. */
  requestsPerMinute: number;
  db: Db;
  tenants: TenantDirectory;
  bot: Pick<Bot, 'desk' | 'intents' | 'notifier' | 'clock'>;
  /** Seals secrets kept in the database (identity secrets, webhook signing secrets). */
  encryptionKey: Buffer;
  knowledge: Knowledge;
  meta: Omit<SocialAccountRoutesOptions, 'db'>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant the request's API key belongs to; set before any /api/v1 handler runs. */
    adminTenantId: string | null;
  }
}

/**
 * /api/v1: the admin REST API. Every request carries a tenant API key, and everything it reads or
 * writes runs under that tenant's row level security.
 */
export const adminApiPlugin: FastifyPluginAsync<AdminApiOptions> = async (
  app,
  { requestsPerMinute, db, tenants, bot, encryptionKey, knowledge, meta },
) => {
  app.decorateRequest('adminTenantId', null);

  // Before the key lookup, so a flood of made-up keys costs no database work.
  app.addHook('onRequest', app.rateLimit(perMinute(requestsPerMinute)));
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new Errors.Unauthorized();
    const owner = await resolveApiKey(db, match[1]);
    if (!owner) throw new Errors.Unauthorized();
    request.adminTenantId = owner.tenantId;
  });

  await app.register(tenantRoutes, { db, tenants });
  await app.register(identityRoutes, { db, tenants, encryptionKey });
  await app.register(faqRoutes, { db, knowledge });
  await app.register(conversationRoutes, { db });
  await app.register(escalationRoutes, { db, desk: bot.desk });
  await app.register(botSettingsRoutes, { db, encryptionKey, clock: bot.clock, notifier: bot.notifier });
  await app.register(notificationRoutes, { db });
  await app.register(intentRoutes, { db, intents: bot.intents });
  await app.register(leadRoutes, { db });
  await app.register(documentRoutes, { db, knowledge });
  await app.register(jobRoutes, { db });
  await app.register(socialAccountRoutes, { db, ...meta });
  await app.register(websiteRoutes, { db, knowledge });
  await app.register(topicRoutes, { db });
};
