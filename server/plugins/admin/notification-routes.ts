import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { listNotifications } from '../../../bot/notifications/notification-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { DateTime, Nullable } from './common-schemas.ts';

const Notification = Type.Object({
  id: Type.String(),
  event: Type.String(),
  channel: Type.String(),
  target: Type.String(),
  escalationId: Nullable(Type.String()),
  conversationId: Nullable(Type.String()),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: DateTime,
  lastError: Nullable(Type.String()),
  sentAt: Nullable(DateTime),
  createdAt: DateTime,
});

/** The notifications sent (or being retried) to the tenant's webhook and inboxes. */
export const notificationRoutes: FastifyPluginAsync<{ db: Db }> = async (base, { db }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['Bot'],
        summary: 'List notifications',
        description:
          'Notifications sent to the tenant (escalations, hot leads), newest first, with their delivery attempts.',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
          ),
          escalationId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Notification) }) },
      },
    },
    async (request) => {
      const { limit, status, escalationId } = request.query;
      const items = await withTenant(db, request.adminTenantId!, (tx) =>
        listNotifications(tx, {
          limit,
          ...(status ? { status } : {}),
          ...(escalationId ? { escalationId } : {}),
        }),
      );
      return { items };
    },
  );
};
