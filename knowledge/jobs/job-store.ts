import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { knowledgeJobs } from '../../migrations/schema/index.ts';

export type KnowledgeJob = typeof knowledgeJobs.$inferSelect;
export type JobKind = 'ingest' | 'crawl' | 'reembed' | 'reindex';

/** The live counters of a job; each kind uses those that apply to it. */
export interface JobCounters {
  pagesFound: number;
  pagesCrawled: number;
  pagesFailed: number;
  pagesUnchanged: number;
  chunksTotal: number;
  chunksIndexed: number;
}

export type JobProgress = Partial<JobCounters> & { phase?: string | undefined };

export async function createJob(
  tx: Tx,
  tenantId: string,
  kind: JobKind,
  sourceId: string | null,
): Promise<KnowledgeJob> {
  const [job] = await tx.insert(knowledgeJobs).values({ tenantId, kind, sourceId }).returning();
  if (!job) throw new Error('job insert returned no row');
  return job;
}

export async function getJob(tx: Tx, id: string): Promise<KnowledgeJob | undefined> {
  const [job] = await tx.select().from(knowledgeJobs).where(eq(knowledgeJobs.id, id));
  return job;
}

export function listJobs(tx: Tx, options: { sourceId?: string; limit: number }): Promise<KnowledgeJob[]> {
  return tx
    .select()
    .from(knowledgeJobs)
    .where(options.sourceId ? eq(knowledgeJobs.sourceId, options.sourceId) : undefined)
    .orderBy(desc(knowledgeJobs.createdAt), desc(knowledgeJobs.id))
    .limit(options.limit);
}

/** The job currently queued or running on a source, if any. */
export async function activeJobFor(tx: Tx, sourceId: string): Promise<KnowledgeJob | undefined> {
  const [job] = await tx
    .select()
    .from(knowledgeJobs)
    .where(and(eq(knowledgeJobs.sourceId, sourceId), inArray(knowledgeJobs.status, ['queued', 'running'])))
    .orderBy(desc(knowledgeJobs.createdAt))
    .limit(1);
  return job;
}

/** Writes a job's progress in its own short transaction; also proves the job is alive. */
export async function saveJobProgress(
  db: Db,
  tenantId: string,
  jobId: string,
  update: JobProgress & { status?: 'running' | 'succeeded' | 'failed'; error?: string | null },
): Promise<void> {
  const now = new Date();
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(knowledgeJobs)
      .set({
        ...update,
        heartbeatAt: now,
        ...(update.status === 'running' ? { startedAt: now } : {}),
        ...(update.status === 'succeeded' || update.status === 'failed' ? { finishedAt: now } : {}),
      })
      .where(eq(knowledgeJobs.id, jobId)),
  );
}
