import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { getConversation, messagesAfter } from '../../../bot/conversation/conversation-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { conversations } from '../../../migrations/schema/index.ts';
import { Errors } from '../../errors.ts';
import { DateTime, Nullable, UuidParams } from './common-schemas.ts';

const Conversation = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  lastSeq: Type.Integer(),
  lastMessageAt: Nullable(DateTime),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const Message = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  role: Type.String(),
  content: Type.String(),
  clientId: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
});
const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  /** The `nextCursor` of the previous page. */
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.String({ maxLength: 50 })),
  channel: Type.Optional(Type.String({ maxLength: 50 })),
});
const MessagesQuery = Type.Object({
  /** Only messages with a higher seq. */
  after: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
});

// Postgres keeps microseconds and a JavaScript Date only milliseconds: the cursor compares at the
// precision it can carry.
const activity = sql<Date>`date_trunc('milliseconds', ${conversations.updatedAt})`;

/** Conversations, newest activity first, and each one's messages in order. */
export const conversationRoutes: FastifyPluginAsync<{ db: Db }> = async (base, { db }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/conversations',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'List conversations',
        description:
          'Conversations, most recent activity first, filtered by `status` and `channel`. Paginated: pass the `nextCursor` of a page as `cursor` to get the next one.',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(Conversation), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const { limit, cursor, status, channel } = request.query;
      const filters: SQL[] = [];
      if (status) filters.push(eq(conversations.status, status));
      if (channel) filters.push(eq(conversations.channel, channel));
      if (cursor) {
        const position = decodeCursor(cursor);
        if (!position) throw new Errors.BadRequest('cursor is not one this API returned');
        // As an explicit timestamptz: a bare Date parameter is serialized differently by each driver.
        const at = sql`${position.at.toISOString()}::timestamptz`;
        filters.push(or(lt(activity, at), and(eq(activity, at), lt(conversations.id, position.id)))!);
      }
      const rows = await withTenant(db, request.adminTenantId!, (tx) =>
        tx
          .select()
          .from(conversations)
          .where(and(...filters))
          .orderBy(desc(activity), desc(conversations.id))
          .limit(limit + 1),
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeCursor(last.updatedAt, last.id) : null,
      };
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Read a conversation',
        description:
          'One conversation and its messages in order (`after` a seq, up to `limit`). A message that could not be delivered on WhatsApp or Instagram says why in `metadata.delivery`.',
        params: UuidParams,
        querystring: MessagesQuery,
        response: { 200: Type.Object({ conversation: Conversation, messages: Type.Array(Message) }) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { after, limit } = request.query;
      const found = await withTenant(db, request.adminTenantId!, async (tx) => {
        const conversation = await getConversation(tx, id);
        if (!conversation) return undefined;
        return { conversation, messages: await messagesAfter(tx, id, after, limit) };
      });
      if (!found) throw new Errors.NotFound('Conversation');
      return found;
    },
  );
};

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } | undefined {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = iso ? new Date(iso) : undefined;
  if (!at || Number.isNaN(at.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return { at, id };
}
