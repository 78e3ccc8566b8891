import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type, { type Static } from 'typebox';
import {
  getLead,
  type LeadFilter,
  leadScoreHistory,
  listLeads,
  updateLeadStatus,
} from '../../../bot/leads/lead-store.ts';
import { LEADS_CSV_HEADER, leadCsvRow } from '../../../bot/leads/leads-csv.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import { RawContent } from '../response-schemas.ts';
import { DateTime, Nullable, UuidParams } from './common-schemas.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const Band = Type.Union([Type.Literal('hot'), Type.Literal('warm'), Type.Literal('cold')]);
const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('contacted'),
  Type.Literal('qualified'),
  Type.Literal('converted'),
  Type.Literal('lost'),
]);
const Lead = Type.Object({
  id: Type.String(),
  conversationId: Nullable(Type.String()),
  channel: Nullable(Type.String()),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  company: Nullable(Type.String()),
  need: Nullable(Type.String()),
  score: Nullable(Type.String()),
  scoreValue: Nullable(Type.Integer()),
  status: Type.String(),
  notes: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const Filter = Type.Object({
  score: Type.Optional(Band),
  status: Type.Optional(Status),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  channel: Type.Optional(Type.String({ maxLength: 50 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
});
const ListQuery = Type.Intersect([
  Filter,
  Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  }),
]);
const ScoreEntry = Type.Object({
  score: Type.String(),
  scoreValue: Type.Integer(),
  signals: Type.Record(Type.String(), Type.Unknown()),
  reasoning: Nullable(Type.String()),
  scoredAt: DateTime,
});

/** Leads: filter, look at one with its scoring history, follow it up, export as CSV. */
export const leadRoutes: FastifyPluginAsync<{ db: Db }> = async (base, { db }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/leads',
    {
      schema: {
        tags: ['Leads'],
        summary: 'List leads',
        description:
          'Leads, newest first, filtered by `score` (hot, warm, cold), `status`, `channel`, a `from`/`to` period, `minScore` and full-text `q`. Paginated with `cursor`.',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Lead), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const before = cursor ? decodeCursor(cursor) : undefined;
      if (cursor && !before) throw new Errors.BadRequest('cursor is not one this API returned');
      const rows = await withTenant(db, request.adminTenantId!, (tx) =>
        listLeads(tx, toFilter(request.query), { limit: limit + 1, ...(before ? { before } : {}) }),
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
    '/leads/export.csv',
    {
      schema: {
        tags: ['Leads'],
        summary: 'Export leads as CSV',
        description:
          'The leads the same filter selects, as CSV, streamed. Cells that a spreadsheet would run as a formula are escaped.',
        querystring: Filter,
        response: {
          200: RawContent('text/csv', 'One line per lead, after a header line'),
        },
      },
    },
    async (request, reply) => {
      const tenantId = request.adminTenantId!;
      const filter = toFilter(request.query);
      async function* lines() {
        yield LEADS_CSV_HEADER;
        let before: { at: Date; id: string } | undefined;
        for (;;) {
          const rows = await withTenant(db, tenantId, (tx) =>
            listLeads(tx, filter, { limit: 500, ...(before ? { before } : {}) }),
          );
          for (const row of rows) yield leadCsvRow(row);
          const last = rows.at(-1);
          if (rows.length < 500 || !last) return;
          before = { at: last.createdAt, id: last.id };
        }
      }
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="leads-${day}.csv"`)
        .send(Readable.from(lines()));
    },
  );

  app.get(
    '/leads/:id',
    {
      schema: {
        tags: ['Leads'],
        summary: 'Read a lead',
        description: 'One lead and its score history: each score with its signals and reasoning.',
        params: UuidParams,
        response: { 200: Type.Object({ lead: Lead, scores: Type.Array(ScoreEntry) }) },
      },
    },
    async (request) => {
      const found = await withTenant(db, request.adminTenantId!, async (tx) => {
        const lead = await getLead(tx, request.params.id);
        if (!lead) return undefined;
        return { lead, scores: await leadScoreHistory(tx, lead.id) };
      });
      if (!found) throw new Errors.NotFound('Lead');
      return found;
    },
  );

  app.patch(
    '/leads/:id',
    {
      schema: {
        tags: ['Leads'],
        summary: 'Update a lead',
        description: "Changes the lead's follow-up `status` or `notes`.",
        params: UuidParams,
        body: Type.Object(
          { status: Type.Optional(Status), notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) },
          { additionalProperties: false },
        ),
        response: { 200: Lead },
      },
    },
    async (request) => {
      const lead = await withTenant(db, request.adminTenantId!, async (tx) => {
        const updated = await updateLeadStatus(tx, request.params.id, request.body);
        return updated ? getLead(tx, updated.id) : undefined;
      });
      if (!lead) throw new Errors.NotFound('Lead');
      return lead;
    },
  );
};

function toFilter(query: Static<typeof Filter>): LeadFilter {
  return {
    ...(query.score ? { score: query.score } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.from ? { createdFrom: new Date(query.from) } : {}),
    ...(query.to ? { createdTo: new Date(query.to) } : {}),
    ...(query.minScore !== undefined ? { minScore: query.minScore } : {}),
  };
}
