import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { tenants } from '../../migrations/schema/index.ts';
import type { Embedder } from '../embed/embedder.ts';
import { createHashedEmbedder } from '../embed/hashed-embedder.ts';
import { createJobRunner, type JobOutcome } from '../jobs/job-runner.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';
import { silentKnowledgeLogger } from '../knowledge-logger.ts';
import { createHybridRetriever } from '../retrieve/hybrid-retriever.ts';
import { LexicalIndexCache } from '../retrieve/lexical-index-cache.ts';
import { createPgvectorStore } from '../vector/pgvector-store.ts';
import type { VectorStore } from '../vector/vector-store.ts';
import { type CrawlSettings, DEFAULT_CRAWL_SETTINGS } from '../web/crawl-website.ts';

export interface KnowledgeTestbed {
  testDb: TestDatabase;
  db: Db;
  deps: KnowledgeDeps;
  retriever: ReturnType<typeof createHybridRetriever>;
  /** Resolves when a job run by this testbed ends. */
  waitForJob(jobId: string): Promise<JobOutcome>;
  createTenant(slug: string): Promise<string>;
  /** Empties the database and restarts the job runner. */
  reset(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A migrated test database with the knowledge pipeline wired as the server wires it: offline
 * embedder, pgvector (or the given store), a job runner and a data directory of its own.
 */
export async function createKnowledgeTestbed(
  options: {
    vectors?: VectorStore;
    embedder?: Embedder;
    maxUploadBytes?: number;
    crawl?: Partial<CrawlSettings>;
  } = {},
): Promise<KnowledgeTestbed> {
  const testDb = await createTestDatabase();
  const db = testDb.database.db;
  const dataDir = await mkdtemp(join(tmpdir(), 'causette-knowledge-'));
  const embedder = options.embedder ?? createHashedEmbedder();
  const vectors = options.vectors ?? createPgvectorStore();
  const lexicalIndexes = new LexicalIndexCache();
  const deps: KnowledgeDeps = {
    db,
    embedder,
    vectors,
    log: silentKnowledgeLogger,
    dataDir,
    runner: createJobRunner({ db, maintain: testDb.database.maintain, log: silentKnowledgeLogger }),
    maxUploadBytes: options.maxUploadBytes ?? 20 * 1024 * 1024,
    // Fixture sites live on loopback and answer at once.
    crawl: {
      ...DEFAULT_CRAWL_SETTINGS,
      minDelayMs: 0,
      ...options.crawl,
      limits: {
        ...DEFAULT_CRAWL_SETTINGS.limits,
        allowPrivateNetworks: true,
        timeoutMs: 2000,
        ...options.crawl?.limits,
      },
    },
  };
  const testbed: KnowledgeTestbed = {
    testDb,
    db,
    deps,
    retriever: createHybridRetriever({ db, embedder, vectors, lexicalIndexes }),
    waitForJob: (jobId) => {
      const outcome = deps.runner.wait(jobId);
      if (!outcome) throw new Error(`job ${jobId} is not running here`);
      return outcome;
    },
    createTenant: async (slug) => {
      const id = randomUUID();
      await withTenant(db, id, (tx) => tx.insert(tenants).values({ id, slug, name: slug }));
      return id;
    },
    reset: async () => {
      await deps.runner.close();
      deps.runner = createJobRunner({ db, maintain: testDb.database.maintain, log: silentKnowledgeLogger });
      await testDb.reset();
    },
    destroy: async () => {
      await deps.runner.close();
      await testDb.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return testbed;
}
