import type { Db } from '../../db/database.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import { type JobCounters, type JobProgress, saveJobProgress } from './job-store.ts';

export interface ProgressSnapshot extends JobCounters {
  phase: string | null;
}

export type ProgressListener = (snapshot: ProgressSnapshot) => void;

/** What job work reports its progress through. */
export interface ProgressReporter {
  update(change: JobProgress): void;
  add(change: Partial<JobCounters>): void;
}

/** Progress is written to the database at most this often; listeners hear every change. */
const SAVE_INTERVAL_MS = 500;

/**
 * A running job's counters. Listeners in this process (a CLI progress bar, a control socket
 * stream) hear every change at once; the database row, which the admin API and other processes
 * read, is refreshed at most twice a second, and again at the end.
 */
export class JobProgressTracker implements ProgressReporter {
  private readonly counters: ProgressSnapshot = {
    phase: null,
    pagesFound: 0,
    pagesCrawled: 0,
    pagesFailed: 0,
    pagesUnchanged: 0,
    chunksTotal: 0,
    chunksIndexed: 0,
  };
  private readonly listeners = new Set<ProgressListener>();
  private lastSave = 0;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly db: Db,
    readonly tenantId: string,
    readonly jobId: string,
    private readonly log: KnowledgeLogger,
    private readonly now: () => number = Date.now,
  ) {}

  get snapshot(): ProgressSnapshot {
    return { ...this.counters };
  }

  listen(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  update(change: JobProgress): void {
    Object.assign(this.counters, change);
    this.changed();
  }

  add(change: Partial<JobCounters>): void {
    for (const [key, value] of Object.entries(change) as [keyof JobCounters, number][]) {
      this.counters[key] += value;
    }
    this.changed();
  }

  /** Writes the counters now (the job is about to end or needs a heartbeat). */
  flush(extra: Parameters<typeof saveJobProgress>[3] = {}): Promise<void> {
    this.dirty = false;
    this.lastSave = this.now();
    const { phase, ...counters } = this.counters;
    this.saving = this.saving
      .catch(() => {})
      .then(() =>
        saveJobProgress(this.db, this.tenantId, this.jobId, {
          ...counters,
          phase: phase ?? undefined,
          ...extra,
        }),
      );
    return this.saving;
  }

  private changed(): void {
    const snapshot = this.snapshot;
    for (const listener of this.listeners) listener(snapshot);
    this.dirty = true;
    if (this.now() - this.lastSave >= SAVE_INTERVAL_MS) {
      this.flush().catch((error: unknown) => {
        this.dirty = true;
        this.log.warn({ err: error, jobId: this.jobId }, 'could not save job progress');
      });
    }
  }

  get hasUnsavedChanges(): boolean {
    return this.dirty;
  }
}
