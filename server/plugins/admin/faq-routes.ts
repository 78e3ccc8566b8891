import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import {
  addAlternativeQuestion,
  createFaqEntry,
  deleteFaqEntry,
  listFaqEntries,
  MAX_ALTERNATIVE_QUESTIONS,
  setAlternativeQuestions,
} from '../../../knowledge/faq/faq-store.ts';
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
  alternativeQuestions: Type.Array(Type.String(), {
    description: 'Other ways customers asked the question, searched like it and never shown.',
  }),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const Question = Type.String({ minLength: 3, maxLength: 1000 });
const Questions = Type.Array(Question, { maxItems: MAX_ALTERNATIVE_QUESTIONS });
const NewFaqEntry = Type.Object(
  {
    question: Question,
    answer: Type.String({ minLength: 1, maxLength: 20_000 }),
    lang: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
    groupKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    alternativeQuestions: Type.Optional(Questions),
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
          'Adds a question and its answer; the bot can answer from it as soon as this returns. `groupKey` links translations of one entry; `alternativeQuestions` are other ways customers ask it.',
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

  app.post(
    '/faq/:id/alternatives',
    {
      schema: {
        tags: ['Knowledge'],
        summary: "Link a customer's wording to an FAQ answer",
        description:
          'Adds one way customers ask the entry\'s question (the console\'s "Add an answer"): the bot then finds the entry when it is asked that way. Kept once whatever its case; beyond 50, the oldest go.',
        params: UuidParams,
        body: Type.Object({ question: Question }, { additionalProperties: false }),
        response: { 200: FaqEntry },
      },
    },
    async (request) => {
      const entry = await withTenant(db, request.adminTenantId!, (tx) =>
        addAlternativeQuestion(tx, request.params.id, request.body.question),
      );
      if (!entry) throw new Errors.NotFound('FAQ entry');
      return entry;
    },
  );

  app.put(
    '/faq/:id/alternatives',
    {
      schema: {
        tags: ['Knowledge'],
        summary: "Replace an FAQ entry's other wordings",
        description:
          "Replaces the other ways customers ask the entry's question; an empty list removes them all.",
        params: UuidParams,
        body: Type.Object({ questions: Questions }, { additionalProperties: false }),
        response: { 200: FaqEntry },
      },
    },
    async (request) => {
      const entry = await withTenant(db, request.adminTenantId!, (tx) =>
        setAlternativeQuestions(tx, request.params.id, request.body.questions),
      );
      if (!entry) throw new Errors.NotFound('FAQ entry');
      return entry;
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
