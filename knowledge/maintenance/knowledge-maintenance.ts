import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import { withoutTenant, withTenant } from '../../db/tenant-scope.ts';
import { documents, knowledgeJobs, websiteSources } from '../../migrations/schema/index.ts';
import { HEARTBEAT_MS } from '../jobs/job-runner.ts';
import { createJob, getJob, type KnowledgeJob } from '../jobs/job-store.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import type { WebsiteService } from '../web/website-service.ts';
import { type RebuildOptions, rebuildVectors } from './rebuild-vectors.ts';

/** Starts a re-embedding ('stale' or 'all') or a reindex job for one tenant. */
export async function startRebuild(
  deps: KnowledgeDeps,
  tenantId: string,
  scope: RebuildOptions['scope'],
  kind: 'reembed' | 'reindex' = 'reembed',
): Promise<KnowledgeJob> {
  const job = await withTenant(deps.db, tenantId, (tx) => createJob(tx, tenantId, kind, null));
  deps.runner.start(job, rebuildVectors(deps, tenantId, { scope }));
  return job;
}

/** Every tenant's id (SECURITY DEFINER lookup: the app role cannot list tenants itself). */
export async function allTenantIds(deps: KnowledgeDeps): Promise<string[]> {
  const rows = await withoutTenant(deps.db, (tx) =>
    queryRows<{ id: string }>(tx, sql`select causette_tenant_ids() as id`),
  );
  return rows.map((row) => row.id);
}

/**
 * Embeds, in the background, the chunks of every tenant that have no vector of the current model:
 * chunks written without one (FAQ entries, a seeded demo) or by a previous model. Tenants with
 * nothing to do get no job.
 */
export async function backfillStaleVectors(deps: KnowledgeDeps): Promise<KnowledgeJob[]> {
  const { embedder, vectors } = deps;
  if (!embedder || !vectors) return [];
  const jobs: KnowledgeJob[] = [];
  for (const tenantId of await allTenantIds(deps)) {
    const [stale] = await withTenant(deps.db, tenantId, (tx) =>
      queryRows<{ n: number | string }>(
        tx,
        vectors.inRow
          ? sql`select count(*) as n from knowledge_chunks where embedding is null or embedding_model is distinct from ${embedder.model}`
          : sql`select count(*) as n from knowledge_chunks where not coalesce(indexed_in_qdrant, false) or embedding_model is distinct from ${embedder.model}`,
      ),
    );
    if (Number(stale?.n ?? 0) > 0) jobs.push(await startRebuild(deps, tenantId, 'stale'));
  }
  return jobs;
}

export interface KnowledgeScheduler {
  /** Starts the crawls that are due and settles abandoned jobs; what the timer runs. */
  tick(now?: Date): Promise<{ crawls: KnowledgeJob[]; reaped: number }>;
  start(): void;
  stop(): void;
}

/**
 * The background of the knowledge side: every minute, daily and weekly sources that are due are
 * crawled (whichever server process claims a source first crawls it), and jobs whose process died
 * (no heartbeat for a while) are marked failed, with their document or source.
 */
export function createKnowledgeScheduler(options: {
  deps: KnowledgeDeps;
  websites: WebsiteService;
  intervalMs?: number;
}): KnowledgeScheduler {
  const { deps, websites } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function tick(now = new Date()) {
    const reaped = await reapAbandonedJobs(now);
    const due = await withoutTenant(deps.db, (tx) =>
      queryRows<{ tenant_id: string; source_id: string }>(
        tx,
        sql`select tenant_id, source_id from causette_due_website_sources(${now.toISOString()}::timestamptz, 20)`,
      ),
    );
    const crawls: KnowledgeJob[] = [];
    for (const { tenant_id, source_id } of due) {
      try {
        crawls.push(await websites.crawl(tenant_id, source_id));
      } catch (error) {
        // Another process claimed it first, or it was deleted meanwhile.
        deps.log.debug({ err: error, sourceId: source_id }, 'scheduled crawl not started');
      }
    }
    return { crawls, reaped };
  }

  async function reapAbandonedJobs(now: Date): Promise<number> {
    const before = new Date(now.getTime() - 3 * HEARTBEAT_MS);
    const abandoned = await withoutTenant(deps.db, (tx) =>
      queryRows<{ tenant_id: string; job_id: string }>(
        tx,
        sql`select tenant_id, job_id from causette_abandoned_knowledge_jobs(${before.toISOString()}::timestamptz)`,
      ),
    );
    for (const { tenant_id, job_id } of abandoned) {
      // A job this process runs is alive, whatever its row says.
      if (deps.runner.wait(job_id)) continue;
      await withTenant(deps.db, tenant_id, async (tx) => {
        const job = await getJob(tx, job_id);
        if (!job) return;
        const error = 'The server running this job stopped before it finished; run it again.';
        await tx
          .update(knowledgeJobs)
          .set({ status: 'failed', error, finishedAt: now })
          .where(eq(knowledgeJobs.id, job_id));
        if (job.kind === 'crawl' && job.sourceId) {
          await tx
            .update(websiteSources)
            .set({ status: 'failed', error, nextCrawlAt: now })
            .where(eq(websiteSources.id, job.sourceId));
        }
        if (job.kind === 'ingest' && job.sourceId) {
          await tx
            .update(documents)
            .set({ status: 'failed', error, chunkCount: 0 })
            .where(eq(documents.id, job.sourceId));
        }
      });
    }
    return abandoned.length;
  }

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((error: unknown) => deps.log.warn({ err: error }, 'knowledge scheduler tick failed'))
          .finally(() => {
            running = undefined;
          });
      }, options.intervalMs ?? 60_000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
