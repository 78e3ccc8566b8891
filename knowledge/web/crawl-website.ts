import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { withTenant } from '../../db/tenant-scope.ts';
import { websitePages, websiteSources } from '../../migrations/schema/index.ts';
import { chunkMarkdown } from '../ingest/chunk-markdown.ts';
import { extractHtml } from '../ingest/extract/extract-html.ts';
import { readableError } from '../ingest/extract/extraction-error.ts';
import { deleteChunksOfSources, forget, replaceSourceChunks } from '../ingest/index-chunks.ts';
import type { JobWork } from '../jobs/job-runner.ts';
import { DEFAULT_CRAWL_OPTIONS, DEFAULT_FETCH_LIMITS } from '../knowledge-defaults.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import { crawlSite } from './crawl-site.ts';
import type { FetchLimits } from './fetch-page.ts';
import { getWebsitePage, nextCrawlAt, pagesNotReachedSince, type WebsiteSource } from './website-store.ts';

/** How the crawler behaves, from the server's configuration. */
export interface CrawlSettings {
  limits: FetchLimits;
  concurrency: number;
  minDelayMs: number;
  maxDepth: number;
  maxPerShape: number;
}

export const DEFAULT_CRAWL_SETTINGS: CrawlSettings = {
  limits: DEFAULT_FETCH_LIMITS,
  concurrency: DEFAULT_CRAWL_OPTIONS.concurrency,
  minDelayMs: DEFAULT_CRAWL_OPTIONS.minDelayMs,
  maxDepth: DEFAULT_CRAWL_OPTIONS.maxDepth,
  maxPerShape: DEFAULT_CRAWL_OPTIONS.maxPerShape,
};

/** After a failed scheduled crawl, the next attempt waits this long rather than a day. */
const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;

/**
 * The work of a crawl job. Each page reached is extracted (Readability, then Markdown) and hashed;
 * a page whose hash has not changed keeps its chunks, a new or changed page gets new chunks in one
 * transaction with its website_pages row. A page that fails is recorded failed with its error and
 * no chunks. When the crawl completes, pages it no longer reached are removed with their chunks,
 * and the source's counters, status and next crawl time are updated. A crawl that fails (robots.txt
 * or the site unreachable, the embedder down) leaves the pages as they were.
 */
export function crawlWebsite(deps: KnowledgeDeps, source: WebsiteSource): JobWork {
  return async (progress, signal) => {
    const tenantId = source.tenantId;
    const startedAt = new Date();
    const skipped: { url: string; reason: string }[] = [];
    let skippedCount = 0;
    try {
      progress.update({ phase: 'robots' });
      const summary = await crawlSite(
        {
          site: source.baseUrl,
          maxPages: source.maxPages,
          maxDepth: numberSetting(source.metadata['max_depth']) ?? deps.crawl.maxDepth,
          limits: deps.crawl.limits,
          concurrency: deps.crawl.concurrency,
          minDelayMs: deps.crawl.minDelayMs,
          maxPerShape: deps.crawl.maxPerShape,
          signal,
        },
        {
          discovered: (found) => progress.update({ phase: 'crawling', pagesFound: found }),
          skipped: (url, reason) => {
            skippedCount += 1;
            if (skipped.length < 50) skipped.push({ url, reason });
          },
          failed: async (url, depth, status, error) => {
            const removed = await withTenant(deps.db, tenantId, async (tx) => {
              const existing = await getWebsitePage(tx, source.id, url);
              const chunkIds = existing ? await deleteChunksOfSources(tx, 'website', [existing.id]) : [];
              await upsertPage(tx, {
                id: existing?.id ?? randomUUID(),
                source,
                url,
                title: existing?.title ?? null,
                content: null,
                contentHash: null,
                status: 'failed',
                error,
                httpStatus: status,
                chunkCount: 0,
                metadata: { depth },
              });
              return chunkIds;
            });
            if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed);
            progress.add({ pagesFailed: 1 });
          },
          page: async (page) => {
            if (page.noindex) {
              skippedCount += 1;
              if (skipped.length < 50)
                skipped.push({ url: page.url, reason: 'the page asks not to be indexed' });
              return;
            }
            let extracted: ReturnType<typeof extractHtml>;
            try {
              extracted = extractHtml(page.html);
            } catch (error) {
              // Unreadable pages (only scripts…) are recorded failed like unreachable ones.
              const removed = await withTenant(deps.db, tenantId, async (tx) => {
                const existing = await getWebsitePage(tx, source.id, page.url);
                const chunkIds = existing ? await deleteChunksOfSources(tx, 'website', [existing.id]) : [];
                await upsertPage(tx, {
                  id: existing?.id ?? randomUUID(),
                  source,
                  url: page.url,
                  title: null,
                  content: null,
                  contentHash: null,
                  status: 'failed',
                  error: readableError(error),
                  httpStatus: page.status,
                  chunkCount: 0,
                  metadata: { depth: page.depth },
                });
                return chunkIds;
              });
              if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed);
              progress.add({ pagesFailed: 1 });
              return;
            }
            const title = extracted.title ?? new URL(page.url).pathname;
            const hash = createHash('sha256').update(`${title}\n${extracted.markdown}`).digest('hex');
            const existing = await withTenant(deps.db, tenantId, (tx) =>
              getWebsitePage(tx, source.id, page.url),
            );
            if (existing && existing.contentHash === hash && existing.status === 'indexed') {
              await withTenant(deps.db, tenantId, (tx) =>
                tx
                  .update(websitePages)
                  .set({ crawledAt: new Date(), httpStatus: page.status })
                  .where(eq(websitePages.id, existing.id)),
              );
              progress.add({ pagesUnchanged: 1 });
              return;
            }
            const chunks = await chunkMarkdown(extracted.markdown, {
              sourceTitle: title,
              locator: { parent_url: page.url },
            });
            const pageId = existing?.id ?? randomUUID();
            progress.add({ chunksTotal: chunks.length });
            let indexedBefore = 0;
            await replaceSourceChunks(deps, tenantId, { type: 'website', id: pageId }, chunks, {
              signal,
              onProgress: (done) => {
                progress.add({ chunksIndexed: done - indexedBefore });
                indexedBefore = done;
              },
              alsoInTransaction: (tx, chunkCount) =>
                upsertPage(tx, {
                  id: pageId,
                  source,
                  url: page.url,
                  title,
                  content: extracted.markdown,
                  contentHash: hash,
                  status: 'indexed',
                  error: null,
                  httpStatus: page.status,
                  chunkCount,
                  metadata: {
                    depth: page.depth,
                    ...(page.lastModified ? { last_modified: page.lastModified } : {}),
                  },
                }),
            });
            progress.add({ pagesCrawled: 1 });
          },
        },
      );

      progress.update({ phase: 'cleaning' });
      const finishedAt = new Date();
      const removed = await withTenant(deps.db, tenantId, async (tx) => {
        const gone = await pagesNotReachedSince(tx, source.id, startedAt);
        const ids = gone.map((p) => p.id);
        const chunkIds = await deleteChunksOfSources(tx, 'website', ids);
        if (ids.length > 0) await tx.delete(websitePages).where(inArray(websitePages.id, ids));
        const [indexed] = await tx
          .select({ n: count() })
          .from(websitePages)
          .where(and(eq(websitePages.websiteSourceId, source.id), eq(websitePages.status, 'indexed')));
        await tx
          .update(websiteSources)
          .set({
            status: 'completed',
            error: null,
            lastCrawledAt: finishedAt,
            pagesCrawled: indexed?.n ?? 0,
            nextCrawlAt: nextCrawlAt(source.crawlFrequency, finishedAt),
            metadata: sql`${websiteSources.metadata} || ${JSON.stringify({
              last_crawl: {
                started_at: startedAt.toISOString(),
                finished_at: finishedAt.toISOString(),
                pages_removed: ids.length,
                pages_skipped: skippedCount,
                skipped,
                sitemap_urls: summary.sitemapUrls,
                crawl_delay_ms: summary.rules.crawlDelayMs ?? null,
                stopped_at_max_pages: summary.truncated,
              },
            })}::jsonb`,
          })
          .where(eq(websiteSources.id, source.id));
        return chunkIds;
      });
      if (deps.vectors) await forget(deps, deps.vectors, tenantId, removed);
      progress.update({ phase: 'done' });
    } catch (error) {
      const message = signal.aborted ? 'The crawl was interrupted; start it again.' : readableError(error);
      const now = new Date();
      await withTenant(deps.db, tenantId, (tx) =>
        tx
          .update(websiteSources)
          .set({
            status: 'failed',
            error: message,
            nextCrawlAt:
              source.crawlFrequency === 'manual' ? null : new Date(now.getTime() + RETRY_AFTER_FAILURE_MS),
          })
          .where(eq(websiteSources.id, source.id)),
      ).catch((e: unknown) =>
        deps.log.warn({ err: e, sourceId: source.id }, 'could not record a failed crawl'),
      );
      throw error;
    }
  };
}

async function upsertPage(
  tx: Parameters<Parameters<typeof withTenant>[2]>[0],
  page: {
    id: string;
    source: WebsiteSource;
    url: string;
    title: string | null;
    content: string | null;
    contentHash: string | null;
    status: 'indexed' | 'failed';
    error: string | null;
    httpStatus: number | null;
    chunkCount: number;
    metadata: Record<string, unknown>;
  },
): Promise<void> {
  const values = {
    title: page.title?.slice(0, 500) ?? null,
    content: page.content,
    contentHash: page.contentHash,
    status: page.status,
    error: page.error,
    httpStatus: page.httpStatus,
    chunkCount: page.chunkCount,
    metadata: page.metadata,
    crawledAt: new Date(),
  };
  await tx
    .insert(websitePages)
    .values({
      id: page.id,
      websiteSourceId: page.source.id,
      tenantId: page.source.tenantId,
      url: page.url.slice(0, 1000),
      ...values,
    })
    .onConflictDoUpdate({ target: [websitePages.websiteSourceId, websitePages.url], set: values });
}

function numberSetting(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
