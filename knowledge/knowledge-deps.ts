import type { IsolationLimits } from './ingest/extract/extract-isolated.ts';
import type { IndexingDeps } from './ingest/index-chunks.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import type { CrawlSettings } from './web/crawl-website.ts';

/** Everything knowledge work needs, built once by the server and passed down. */
export interface KnowledgeDeps extends IndexingDeps {
  /** Uploaded files live under it (documents/<tenant>/<id>.<ext>). */
  dataDir: string;
  runner: JobRunner;
  /** Largest uploaded document accepted, in bytes. */
  maxUploadBytes: number;
  isolation?: IsolationLimits;
  crawl: CrawlSettings;
}
