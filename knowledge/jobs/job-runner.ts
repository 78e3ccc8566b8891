import Bottleneck from 'bottleneck';
import type { Database, Db } from '../../db/database.ts';
import { KNOWLEDGE_TABLES, refreshPlannerStatistics } from '../../db/planner-statistics.ts';
import { readableError } from '../ingest/extract/extraction-error.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import {
  JobProgressTracker,
  type ProgressListener,
  type ProgressReporter,
  type ProgressSnapshot,
} from './job-progress.ts';
import type { KnowledgeJob } from './job-store.ts';

export type JobWork = (progress: ProgressReporter, signal: AbortSignal) => Promise<void>;

export interface JobOutcome extends ProgressSnapshot {
  status: 'succeeded' | 'failed';
  error: string | null;
}

export interface JobRunner {
  /** Queues the work of a job already stored as queued; returns at once. */
  start(job: Pick<KnowledgeJob, 'id' | 'tenantId' | 'kind'>, work: JobWork): void;
  /** How a job run by this process ends; undefined for a job this process does not run. */
  wait(jobId: string): Promise<JobOutcome> | undefined;
  /** Every progress change of a job this process runs; undefined when it runs no such job. */
  watch(jobId: string, listener: ProgressListener): (() => void) | undefined;
  /** Stops taking work, aborts running jobs and waits for them to record their end. */
  close(): Promise<void>;
}

/** A running job's row is refreshed this often, so other processes can tell it is alive. */
export const HEARTBEAT_MS = 30_000;

/**
 * Runs knowledge jobs in the background of this process, a few at a time (bottleneck), each with
 * a progress tracker and an abort signal. A job whose work throws is recorded as failed with a
 * readable error; the work itself records what the failure means for its source.
 */
export function createJobRunner(options: {
  db: Db;
  /** Runs the statistics refresh that ends a burst of jobs with the owner's rights. */
  maintain: Database['maintain'];
  log: KnowledgeLogger;
  maxConcurrent?: number;
}): JobRunner {
  const limiter = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 2 });
  const running = new Map<
    string,
    { tracker: JobProgressTracker; controller: AbortController; done: Promise<JobOutcome> }
  >();
  let closed = false;

  return {
    start(job, work) {
      if (closed) throw new Error('the job runner is closed');
      const tracker = new JobProgressTracker(options.db, job.tenantId, job.id, options.log);
      const controller = new AbortController();
      const done = limiter.schedule(async (): Promise<JobOutcome> => {
        if (controller.signal.aborted) {
          await tracker.flush({ status: 'failed', error: 'The server stopped before the job could run.' });
          return {
            ...tracker.snapshot,
            status: 'failed',
            error: 'The server stopped before the job could run.',
          };
        }
        await tracker.flush({ status: 'running' });
        const heartbeat = setInterval(() => {
          tracker.flush().catch(() => {});
        }, HEARTBEAT_MS);
        heartbeat.unref();
        try {
          await work(tracker, controller.signal);
          await tracker.flush({ status: 'succeeded', error: null });
          return { ...tracker.snapshot, status: 'succeeded', error: null };
        } catch (error) {
          const message = controller.signal.aborted
            ? 'The server stopped while the job ran; run it again.'
            : readableError(error);
          options.log.warn({ err: error, jobId: job.id, kind: job.kind }, 'knowledge job failed');
          await tracker.flush({ status: 'failed', error: message }).catch(() => {});
          return { ...tracker.snapshot, status: 'failed', error: message };
        } finally {
          clearInterval(heartbeat);
          // The last job of a burst (an upload of many documents, a crawl) brings the planner's
          // statistics up to date before it reports its end, so the searches that follow it are
          // planned for the knowledge as it now is.
          if (running.size <= 1 && !controller.signal.aborted) {
            await refreshPlannerStatistics(options, { tables: KNOWLEDGE_TABLES }).catch((error: unknown) =>
              options.log.warn({ err: error }, 'refreshing planner statistics failed'),
            );
          }
        }
      });
      const entry = { tracker, controller, done };
      running.set(job.id, entry);
      void done.finally(() => running.delete(job.id));
    },
    wait(jobId) {
      return running.get(jobId)?.done;
    },
    watch(jobId, listener) {
      const entry = running.get(jobId);
      return entry ? entry.tracker.listen(listener) : undefined;
    },
    async close() {
      closed = true;
      const pending = [...running.values()];
      for (const entry of pending) entry.controller.abort(new Error('server stopping'));
      await Promise.allSettled(pending.map((entry) => entry.done));
      await limiter.stop({ dropWaitingJobs: false }).catch(() => {});
    },
  };
}
