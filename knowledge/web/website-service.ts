import { and, eq, ne } from 'drizzle-orm';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../db/database-errors.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { websitePages, websiteSources } from '../../migrations/schema/index.ts';
import { deleteChunksOfSources, forget } from '../ingest/index-chunks.ts';
import { createJob, type KnowledgeJob } from '../jobs/job-store.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import { KnowledgeRequestError } from '../knowledge-errors.ts';
import { crawlWebsite } from './crawl-website.ts';
import { normalizeUrl } from './normalize-url.ts';
import { type CrawlFrequency, getWebsiteSource, nextCrawlAt, type WebsiteSource } from './website-store.ts';

export interface NewWebsiteSource {
  baseUrl: string;
  maxPages?: number;
  crawlFrequency?: CrawlFrequency;
  /** Links followed from the base page at most this deep (default from the configuration). */
  maxDepth?: number;
}

export interface WebsiteSourcePatch {
  maxPages?: number;
  crawlFrequency?: CrawlFrequency;
  maxDepth?: number;
}

/**
 * Website sources: created, changed, crawled (by hand or on their schedule) and deleted with
 * their pages and chunks, vector store included.
 */
export function createWebsiteService(deps: KnowledgeDeps) {
  const service = {
    /** Creates a source and starts its first crawl at once. */
    async create(
      tenantId: string,
      input: NewWebsiteSource,
    ): Promise<{ source: WebsiteSource; job: KnowledgeJob }> {
      const baseUrl = normalizeUrl(input.baseUrl);
      if (!baseUrl || !/^https?:\/\/[^/]+/.test(input.baseUrl.trim())) {
        throw new KnowledgeRequestError(
          'CAUSETTE_ERR_INVALID_URL',
          `"${input.baseUrl}" is not an http(s) URL.`,
        );
      }
      const frequency = input.crawlFrequency ?? 'manual';
      try {
        const source = await withTenant(deps.db, tenantId, async (tx) => {
          const [row] = await tx
            .insert(websiteSources)
            .values({
              tenantId,
              baseUrl,
              maxPages: input.maxPages ?? 50,
              crawlFrequency: frequency,
              metadata: input.maxDepth !== undefined ? { max_depth: input.maxDepth } : {},
            })
            .returning();
          return row!;
        });
        const job = await service.crawl(tenantId, source.id);
        return { source: { ...source, status: 'crawling' }, job };
      } catch (error) {
        if (sqlState(error) === PG_UNIQUE_VIOLATION) {
          throw new KnowledgeRequestError(
            'CAUSETTE_ERR_CONFLICT',
            `There is already a source for ${baseUrl}.`,
          );
        }
        throw error;
      }
    },

    async update(tenantId: string, id: string, patch: WebsiteSourcePatch): Promise<WebsiteSource> {
      return withTenant(deps.db, tenantId, async (tx) => {
        const source = await getWebsiteSource(tx, id);
        if (!source) throw new KnowledgeRequestError('CAUSETTE_ERR_NOT_FOUND', 'Website source not found');
        const frequency = patch.crawlFrequency ?? source.crawlFrequency;
        const [row] = await tx
          .update(websiteSources)
          .set({
            ...(patch.maxPages !== undefined ? { maxPages: patch.maxPages } : {}),
            crawlFrequency: frequency,
            nextCrawlAt: nextCrawlAt(frequency, source.lastCrawledAt ?? new Date()),
            ...(patch.maxDepth !== undefined
              ? { metadata: { ...source.metadata, max_depth: patch.maxDepth } }
              : {}),
          })
          .where(eq(websiteSources.id, id))
          .returning();
        return row!;
      });
    },

    /**
     * Starts a crawl. Only one crawl of a source runs at a time, whichever server process asks:
     * the source is claimed by switching its status to crawling.
     */
    async crawl(tenantId: string, id: string): Promise<KnowledgeJob> {
      const claimed = await withTenant(deps.db, tenantId, async (tx) => {
        const [source] = await tx
          .update(websiteSources)
          .set({ status: 'crawling', error: null })
          .where(and(eq(websiteSources.id, id), ne(websiteSources.status, 'crawling')))
          .returning();
        if (!source) {
          if (await getWebsiteSource(tx, id)) {
            throw new KnowledgeRequestError(
              'CAUSETTE_ERR_SOURCE_BUSY',
              'The website is already being crawled.',
            );
          }
          throw new KnowledgeRequestError('CAUSETTE_ERR_NOT_FOUND', 'Website source not found');
        }
        return { source, job: await createJob(tx, tenantId, 'crawl', id) };
      });
      deps.runner.start(claimed.job, crawlWebsite(deps, claimed.source));
      return claimed.job;
    },

    /** Deletes a source with its pages and their chunks everywhere; false when there is none. */
    async remove(tenantId: string, id: string): Promise<boolean> {
      const removed = await withTenant(deps.db, tenantId, async (tx) => {
        const source = await getWebsiteSource(tx, id);
        if (!source) return undefined;
        const pages = await tx
          .select({ id: websitePages.id })
          .from(websitePages)
          .where(eq(websitePages.websiteSourceId, id));
        const chunkIds = await deleteChunksOfSources(
          tx,
          'website',
          pages.map((p) => p.id),
        );
        await tx.delete(websiteSources).where(eq(websiteSources.id, id));
        return chunkIds;
      });
      if (!removed) return false;
      if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed);
      return true;
    },
  };
  return service;
}

export type WebsiteService = ReturnType<typeof createWebsiteService>;
