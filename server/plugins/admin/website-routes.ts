import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import type { Db, Tx } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { activeJobFor, type KnowledgeJob, listJobs } from '../../../knowledge/jobs/job-store.ts';
import {
  getWebsiteSource,
  listWebsitePages,
  listWebsiteSources,
  type WebsiteSource as WebsiteSourceRow,
} from '../../../knowledge/web/website-store.ts';
import { Errors } from '../../errors.ts';
import type { Knowledge } from '../../services/create-knowledge.ts';
import { NoContent } from '../response-schemas.ts';
import { UuidParams } from './common-schemas.ts';
import { toApiError } from './knowledge-errors.ts';
import { Job, WebsitePage, WebsiteSource } from './knowledge-schemas.ts';

const Frequency = Type.Union([Type.Literal('manual'), Type.Literal('daily'), Type.Literal('weekly')]);
const NewSource = Type.Object(
  {
    baseUrl: Type.String({ pattern: '^https?://', maxLength: 500 }),
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    crawlFrequency: Type.Optional(Frequency),
    maxDepth: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  },
  { additionalProperties: false },
);
const SourcePatch = Type.Object(
  {
    maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    crawlFrequency: Type.Optional(Frequency),
    maxDepth: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  },
  { additionalProperties: false },
);

/**
 * Website sources. Creating one starts its first crawl (202 with the job); daily and weekly ones
 * are then crawled again on their schedule. GET shows the running crawl's counters.
 */
export const websiteRoutes: FastifyPluginAsync<{ db: Db; knowledge: Knowledge }> = async (base, options) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, knowledge } = options;
  const refuse = (error: unknown) => {
    throw toApiError(error);
  };

  app.get(
    '/websites',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'List website sources',
        description: 'The websites the bot learns from, with their crawl settings and running or last crawl.',
        response: { 200: Type.Object({ items: Type.Array(WebsiteSource) }) },
      },
    },
    async (request) => {
      const items = await withTenant(db, request.adminTenantId!, async (tx) =>
        Promise.all((await listWebsiteSources(tx)).map((row) => withJob(tx, row))),
      );
      return { items };
    },
  );

  app.post(
    '/websites',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Add a website source',
        description:
          'Adds a site to crawl (`baseUrl`, `maxPages` (50), `crawlFrequency` `manual`, `daily` or `weekly`, `maxDepth`) and starts its first crawl: 202 with the source and the job. The crawler obeys robots.txt, stays on the site, and refuses private addresses unless the server allows them.',
        body: NewSource,
        response: { 202: Type.Object({ source: WebsiteSource, job: Job }) },
      },
    },
    async (request, reply) => {
      const { source, job } = await knowledge.websites
        .create(request.adminTenantId!, request.body)
        .catch(refuse);
      return reply.code(202).send({ source: present(source, job), job });
    },
  );

  app.get(
    '/websites/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Read a website source',
        description: 'One website source with its running or last crawl.',
        params: UuidParams,
        response: { 200: WebsiteSource },
      },
    },
    async (request) => {
      const source = await withTenant(db, request.adminTenantId!, async (tx) => {
        const row = await getWebsiteSource(tx, request.params.id);
        return row ? withJob(tx, row) : undefined;
      });
      if (!source) throw new Errors.NotFound('Website source');
      return source;
    },
  );

  app.get(
    '/websites/:id/pages',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'List crawled pages',
        description: 'The pages of a source that were crawled, with their title, URL and status.',
        params: UuidParams,
        response: { 200: Type.Object({ items: Type.Array(WebsitePage) }) },
      },
    },
    async (request) => {
      const items = await withTenant(db, request.adminTenantId!, async (tx) =>
        (await getWebsiteSource(tx, request.params.id)) ? listWebsitePages(tx, request.params.id) : undefined,
      );
      if (!items) throw new Errors.NotFound('Website source');
      return { items };
    },
  );

  app.patch(
    '/websites/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Update a website source',
        description: "Changes a source's crawl settings.",
        params: UuidParams,
        body: SourcePatch,
        response: { 200: WebsiteSource },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      await knowledge.websites.update(tenantId, request.params.id, request.body).catch(refuse);
      return withTenant(db, tenantId, async (tx) =>
        withJob(tx, (await getWebsiteSource(tx, request.params.id))!),
      );
    },
  );

  app.post(
    '/websites/:id/crawl',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Crawl a website again',
        description:
          'Starts a crawl now: only changed pages are indexed again, and pages that disappeared lose their chunks. 202 with the job; 409 while a crawl of the source runs.',
        params: UuidParams,
        response: { 202: Type.Object({ job: Job }) },
      },
    },
    async (request, reply) => {
      const job = await knowledge.websites.crawl(request.adminTenantId!, request.params.id).catch(refuse);
      return reply.code(202).send({ job });
    },
  );

  app.delete(
    '/websites/:id',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Delete a website source',
        description: 'Deletes the source, its pages and their chunks.',
        response: { 204: NoContent },
        params: UuidParams,
      },
    },
    async (request, reply) => {
      if (!(await knowledge.websites.remove(request.adminTenantId!, request.params.id))) {
        throw new Errors.NotFound('Website source');
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/knowledge/reembed',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Re-embed the knowledge',
        description:
          "Computes the vectors of the tenant's chunks again: `all`, or only `stale` ones (made by another model). 202 with the job.",
        body: Type.Object(
          { scope: Type.Optional(Type.Union([Type.Literal('stale'), Type.Literal('all')])) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ job: Job }) },
      },
    },
    async (request, reply) => {
      const job = await knowledge.rebuild(request.adminTenantId!, request.body.scope ?? 'all', 'reembed');
      return reply.code(202).send({ job });
    },
  );

  app.post(
    '/knowledge/reindex',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'Rebuild the vector index',
        description:
          "Writes the tenant's vectors to the vector store again (after a switch to Qdrant, or a lost collection). 202 with the job.",
        response: { 202: Type.Object({ job: Job }) },
      },
    },
    async (request, reply) => {
      const job = await knowledge.rebuild(request.adminTenantId!, 'all', 'reindex');
      return reply.code(202).send({ job });
    },
  );
};

async function withJob(tx: Tx, row: WebsiteSourceRow) {
  const job =
    (await activeJobFor(tx, row.id)) ?? (await listJobs(tx, { sourceId: row.id, limit: 1 }))[0] ?? null;
  return present(row, job);
}

function present(row: WebsiteSourceRow, job: KnowledgeJob | null) {
  const depth = row.metadata['max_depth'];
  const lastCrawl = row.metadata['last_crawl'];
  return {
    ...row,
    maxDepth: typeof depth === 'number' ? depth : null,
    lastCrawl:
      typeof lastCrawl === 'object' && lastCrawl !== null ? (lastCrawl as Record<string, unknown>) : null,
    job,
  };
}
