import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { getJob, listJobs } from '../../../knowledge/jobs/job-store.ts';
import { Errors } from '../../errors.ts';
import { UuidParams } from './common-schemas.ts';
import { Job } from './knowledge-schemas.ts';

/** Knowledge jobs (crawls, ingestions, re-embeddings) with their live counters. */
export const jobRoutes: FastifyPluginAsync<{ db: Db }> = async (base, { db }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/jobs',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'List jobs',
        description:
          'Crawls, ingestions and re-embeddings, newest first, with their live counters (`pagesFound`, `pagesCrawled`, `pagesUnchanged`, `pagesFailed`, `chunksTotal`, `chunksIndexed`, `phase`).',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          sourceId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Job) }) },
      },
    },
    async (request) => {
      const { limit, sourceId } = request.query;
      const items = await withTenant(db, request.adminTenantId!, (tx) =>
        listJobs(tx, { limit, ...(sourceId ? { sourceId } : {}) }),
      );
      return { items };
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Read a job',
        description: 'One job with its live counters; poll it to follow a crawl or an ingestion.',
        params: UuidParams,
        response: { 200: Job },
      },
    },
    async (request) => {
      const job = await withTenant(db, request.adminTenantId!, (tx) => getJob(tx, request.params.id));
      if (!job) throw new Errors.NotFound('Job');
      return job;
    },
  );
};
