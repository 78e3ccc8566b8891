import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { createFaqEntry, deleteFaqEntry, listFaqEntries } from '../../../knowledge/faq/faq-store.ts';
import { Errors } from '../../errors.ts';
import type { Knowledge } from '../../services/create-knowledge.ts';
import { NoContent } from '../response-schemas.ts';
import { DateTime, Nullable, UuidParams } from './common-schemas.ts';

const FaqEntry = Type.Object({
  id: Type.String(),
  question: Type.String(),
  answer: Type.String(),
  lang: Type.String(),
  groupKey: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const NewFaqEntry = Type.Object(
  {
    question: Type.String({ minLength: 3, maxLength: 1000 }),
    answer: Type.String({ minLength: 1, maxLength: 20_000 }),
    lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
    groupKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** FAQ entries. Each one is knowledge the bot can answer from as soon as it is created. */
export const faqRoutes: FastifyPluginAsync<{ db: Db; knowledge: Pick<Knowledge, 'embedStale'> }> = async (
  base,
  { db, knowledge },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/faq',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'List FAQ entries',
        description: 'Every FAQ entry of the tenant.',
        response: { 200: Type.Object({ items: Type.Array(FaqEntry) }) },
      },
    },
    async (request) => {
      const items = await withTenant(db, request.adminTenantId!, (tx) => listFaqEntries(tx));
      return { items };
    },
  );

  app.post(
    '/faq',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Add an FAQ entry',
        description:
          'Adds a question and its answer; the bot can answer from it as soon as this returns. `groupKey` links translations of one entry.',
        body: NewFaqEntry,
        response: { 201: FaqEntry },
      },
    },
    async (request, reply) => {
      const tenantId = request.adminTenantId!;
      const entry = await withTenant(db, tenantId, (tx) => createFaqEntry(tx, tenantId, request.body));
      // The entry is searchable lexically at once; its vector follows before the answer.
      await knowledge.embedStale(tenantId);
      return reply.code(201).send(entry);
    },
  );

  app.delete(
    '/faq/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Delete an FAQ entry',
        description: 'Deletes the entry; the bot stops answering from it.',
        response: { 204: NoContent },
        params: UuidParams,
      },
    },
    async (request, reply) => {
      const deleted = await withTenant(db, request.adminTenantId!, (tx) =>
        deleteFaqEntry(tx, request.params.id),
      );
      if (!deleted) throw new Errors.NotFound('FAQ entry');
      return reply.code(204).send();
    },
  );
};
