import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import { InvalidTopicDateError, parseTopicDate } from '../../../bot/topics/topic-date.ts';
import { getDayReport } from '../../../bot/topics/topic-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { DateTime, Nullable } from './common-schemas.ts';

const DayQuery = Type.Object(
  {
    date: Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      description: 'YYYY-MM-DD, in the tenant time zone',
    }),
  },
  { additionalProperties: false },
);
const Sample = Type.Object({ id: Type.String(), text: Type.String() });
const Run = {
  date: Type.String(),
  /** False until the day's topics were computed (by the daily job or `causette topics run`). */
  computed: Type.Boolean(),
  computedAt: Nullable(DateTime),
  timezone: Nullable(Type.String()),
};
const TopicsDay = Type.Object({
  ...Run,
  messageCount: Type.Integer(),
  clusteredCount: Type.Integer(),
  method: Nullable(Type.String()),
  topics: Type.Array(
    Type.Object({
      topicId: Type.Integer(),
      label: Nullable(Type.String()),
      keywords: Type.Array(Type.String()),
      messageCount: Type.Integer(),
      percentage: Type.Number(),
      /** The messages that fit no topic (topic -1). */
      outlier: Type.Boolean(),
      samples: Type.Array(Sample),
    }),
  ),
});
const UnansweredDay = Type.Object({
  ...Run,
  unansweredCount: Type.Integer(),
  groups: Type.Array(
    Type.Object({
      groupId: Type.Integer(),
      question: Type.String(),
      keywords: Type.Array(Type.String()),
      messageCount: Type.Integer(),
      samples: Type.Array(Sample),
    }),
  ),
});

/** A day's topics, and the questions the bot could not answer that day. */
export const topicRoutes: FastifyPluginAsync<{ db: Db }> = async (base, { db }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  async function day(tenantId: string, date: string) {
    try {
      parseTopicDate(date);
    } catch (error) {
      if (error instanceof InvalidTopicDateError) throw new Errors.BadRequest(error.message);
      throw error;
    }
    const report = await withTenant(db, tenantId, (tx) => getDayReport(tx, tenantId, date));
    const run = {
      date,
      computed: report.run !== null,
      computedAt: report.run?.computedAt ?? null,
      timezone: report.run?.timezone ?? null,
    };
    return { report, run };
  }

  app.get(
    '/topics',
    {
      schema: {
        tags: ['Topics'],
        summary: "Read a day's topics",
        description:
          "What customers asked about on `date` (YYYY-MM-DD, default yesterday): each topic's label, keywords, message count, share and samples, and when it was computed.",
        querystring: DayQuery,
        response: { 200: TopicsDay },
      },
    },
    async (request) => {
      const { report, run } = await day(request.adminTenantId!, request.query.date);
      return {
        ...run,
        messageCount: report.run?.messageCount ?? 0,
        clusteredCount: report.run?.clusteredCount ?? 0,
        method: report.run?.method ?? null,
        topics: report.topics.map((topic) => ({ ...topic, outlier: topic.topicId < 0 })),
      };
    },
  );

  app.get(
    '/topics/unanswered',
    {
      schema: {
        tags: ['Topics'],
        summary: "Read a day's unanswered questions",
        description:
          "The questions the bot could not answer on `date`, grouped: each group's question, keywords, message count and samples.",
        querystring: DayQuery,
        response: { 200: UnansweredDay },
      },
    },
    async (request) => {
      const { report, run } = await day(request.adminTenantId!, request.query.date);
      return { ...run, unansweredCount: report.run?.unansweredCount ?? 0, groups: report.unanswered };
    },
  );
};
