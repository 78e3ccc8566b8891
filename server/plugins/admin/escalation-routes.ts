import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { getConversation, recentMessages } from '../../../bot/conversation/conversation-store.ts';
import { getEscalation, listEscalations } from '../../../bot/escalation/escalation-store.ts';
import type { OperatorDesk } from '../../../bot/escalation/operator-desk.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { DateTime, Nullable, UuidParams } from './common-schemas.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const Escalation = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  reason: Type.String(),
  summary: Nullable(Type.String()),
  status: Type.String(),
  assignedTo: Nullable(Type.String()),
  resolvedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const Message = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  role: Type.String(),
  content: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
});
const Agent = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });
const AgentName = Type.String({ minLength: 1, maxLength: 80 });
const TakeBody = Type.Object(
  { agent: Agent, agentName: Type.Optional(AgentName) },
  { additionalProperties: false },
);
const ReplyBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 8000, pattern: '\\S' }),
    agent: Type.Optional(Agent),
    agentName: Type.Optional(AgentName),
    /** Makes a retried request store the reply once. */
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('in_progress'), Type.Literal('resolved')]),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

/**
 * The operator API: the escalation queue, taking a conversation, writing to the customer as a
 * human, and resolving, which gives the conversation back to the bot.
 */
export const escalationRoutes: FastifyPluginAsync<{ db: Db; desk: OperatorDesk }> = async (
  base,
  { db, desk },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/escalations',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'List escalations',
        description:
          'Conversations handed to a human, newest first, with reason, summary and status. Paginated with `cursor`.',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(Escalation), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const { status, limit, cursor } = request.query;
      const before = cursor ? decodeCursor(cursor) : undefined;
      if (cursor && !before) throw new Errors.BadRequest('cursor is not one this API returned');
      const rows = await withTenant(db, request.adminTenantId!, (tx) =>
        listEscalations(tx, {
          limit: limit + 1,
          ...(status ? { status } : {}),
          ...(before ? { before } : {}),
        }),
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },
  );

  app.get(
    '/escalations/:id',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'Read an escalation',
        description: "One escalation, its channel and the conversation's last 100 messages.",
        params: UuidParams,
        response: {
          200: Type.Object({ escalation: Escalation, channel: Type.String(), messages: Type.Array(Message) }),
        },
      },
    },
    async (request) => {
      const found = await withTenant(db, request.adminTenantId!, async (tx) => {
        const escalation = await getEscalation(tx, request.params.id);
        if (!escalation) return undefined;
        const conversation = await getConversation(tx, escalation.conversationId);
        return {
          escalation,
          channel: conversation?.channel ?? 'unknown',
          messages: await recentMessages(tx, escalation.conversationId, 100),
        };
      });
      if (!found) throw new Errors.NotFound('Escalation');
      return found;
    },
  );

  app.post(
    '/escalations/:id/take',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'Take an escalation',
        description:
          'Marks it `in_progress` and assigned to the operator; the bot stays silent in the conversation.',
        params: UuidParams,
        body: TakeBody,
        response: { 200: Escalation },
      },
    },
    async (request) => {
      const { agent, agentName } = request.body;
      const taken = await desk.take(request.adminTenantId!, request.params.id, {
        id: agent,
        ...(agentName ? { displayName: agentName } : {}),
      });
      if (!taken) throw new Errors.NotFound('Escalation');
      return taken;
    },
  );

  app.post(
    '/escalations/:id/reply',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'Reply as a human',
        description:
          'Stores the text with the `agent` role and delivers it live to the customer (widget, WhatsApp or Instagram). A `clientId` makes a retried reply safe: it is stored once.',
        params: UuidParams,
        body: ReplyBody,
        response: {
          201: Type.Object({ escalation: Escalation, message: Message, duplicate: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const { text, agent, agentName, clientId } = request.body;
      const result = await desk.reply(request.adminTenantId!, request.params.id, {
        text: text.trim(),
        ...(agent ? { operator: { id: agent, ...(agentName ? { displayName: agentName } : {}) } } : {}),
        ...(clientId ? { clientId } : {}),
      });
      if (!result) throw new Errors.NotFound('Escalation');
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/escalations/:id/resolve',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'Resolve an escalation',
        description: 'Closes the escalation; the conversation returns to the bot.',
        params: UuidParams,
        response: { 200: Escalation },
      },
    },
    async (request) => {
      const resolved = await desk.resolve(request.adminTenantId!, request.params.id);
      if (!resolved) throw new Errors.NotFound('Escalation');
      return resolved;
    },
  );

  app.post(
    '/conversations/:id/takeover',
    {
      schema: {
        tags: ['Escalations'],
        summary: 'Take over a conversation',
        description:
          'A person takes a conversation that was not escalated: an escalation is opened and assigned to them, and the bot stops answering there.',
        params: UuidParams,
        body: TakeBody,
        response: { 200: Escalation },
      },
    },
    async (request) => {
      const { agent, agentName } = request.body;
      const taken = await desk.takeOver(request.adminTenantId!, request.params.id, {
        id: agent,
        ...(agentName ? { displayName: agentName } : {}),
      });
      if (!taken) throw new Errors.NotFound('Conversation');
      return taken;
    },
  );
};
