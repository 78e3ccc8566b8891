import { join } from 'node:path';
import type { Logger } from '../../bot/logger.ts';
import type { Database, Db } from '../../db/database.ts';
import { createDocumentService, type DocumentService } from '../../knowledge/documents/document-service.ts';
import type { Embedder } from '../../knowledge/embed/embedder.ts';
import { createHashedEmbedder } from '../../knowledge/embed/hashed-embedder.ts';
import { createOpenAiEmbedder } from '../../knowledge/embed/openai-embedder.ts';
import { createJobRunner } from '../../knowledge/jobs/job-runner.ts';
import type { KnowledgeJob } from '../../knowledge/jobs/job-store.ts';
import type { KnowledgeDeps } from '../../knowledge/knowledge-deps.ts';
import {
  allTenantIds,
  backfillStaleVectors,
  createKnowledgeScheduler,
  startRebuild,
} from '../../knowledge/maintenance/knowledge-maintenance.ts';
import { rebuildVectors } from '../../knowledge/maintenance/rebuild-vectors.ts';
import { createHybridRetriever } from '../../knowledge/retrieve/hybrid-retriever.ts';
import { LexicalIndexCache } from '../../knowledge/retrieve/lexical-index-cache.ts';
import type { Retriever } from '../../knowledge/retrieve/retrieval-hit.ts';
import { warmLexicalIndexes } from '../../knowledge/retrieve/warm-lexical-indexes.ts';
import type { RelatedWordOptions } from '../../knowledge/text/related-words.ts';
import { createPgvectorStore } from '../../knowledge/vector/pgvector-store.ts';
import { createQdrantStore } from '../../knowledge/vector/qdrant-store.ts';
import type { VectorStore } from '../../knowledge/vector/vector-store.ts';
import { DEFAULT_CRAWL_SETTINGS } from '../../knowledge/web/crawl-website.ts';
import { createWebsiteService, type WebsiteService } from '../../knowledge/web/website-service.ts';
import type { KnowledgeConfig } from '../config.ts';

export interface Knowledge {
  deps: KnowledgeDeps;
  retriever: Retriever;
  documents: DocumentService;
  websites: WebsiteService;
  /** "offline (causette-hashed-v1-512) + pgvector", for the startup log. */
  description: string;
  /** Prepares the vector store. */
  start(): Promise<void>;
  /**
   * The running server's share: starts the crawl scheduler, loads the lexical indexes and embeds,
   * in the background, chunks that lack a vector of the current model.
   */
  startBackground(): Promise<void>;
  /** Re-embeds a tenant's chunks ('stale' ones or 'all'), or rebuilds its Qdrant points. */
  rebuild(tenantId: string, scope: 'stale' | 'all', kind?: 'reembed' | 'reindex'): Promise<KnowledgeJob>;
  /** Embeds at once the chunks of a tenant that have no vector yet (a new FAQ entry). */
  embedStale(tenantId: string): Promise<void>;
  /** Stops background work, letting running jobs record that they were interrupted. */
  close(): Promise<void>;
}

/**
 * Builds the knowledge side from the configuration: OpenAI (or compatible) embeddings when a key
 * or base URL is set, the offline embedder otherwise; Qdrant when QDRANT_URL is set, pgvector
 * otherwise.
 */
export function createKnowledge(options: {
  config: KnowledgeConfig;
  db: Db;
  /** Maintenance with the owner's rights (statistics after a burst of knowledge jobs). */
  maintain: Database['maintain'];
  dataDir: string;
  log: Logger;
  /** Query expansion (lexicon, gazetteer, stems): all on unless a benchmark measures without. */
  expansion?: RelatedWordOptions | undefined;
}): Knowledge {
  const { config, db, log } = options;
  const embedder: Embedder =
    config.openAiApiKey || config.openAiBaseUrl
      ? createOpenAiEmbedder({
          apiKey: config.openAiApiKey,
          baseUrl: config.openAiBaseUrl,
          model: config.embeddingModel,
        })
      : createHashedEmbedder();
  const qdrant = config.qdrantUrl
    ? createQdrantStore({
        url: config.qdrantUrl,
        apiKey: config.qdrantApiKey,
        collection: config.qdrantCollection,
      })
    : undefined;
  const vectors: VectorStore = qdrant ?? createPgvectorStore();
  const deps: KnowledgeDeps = {
    db,
    embedder,
    vectors,
    log,
    dataDir: options.dataDir,
    runner: createJobRunner({ db, maintain: options.maintain, log }),
    maxUploadBytes: config.maxUploadBytes,
    crawl: {
      ...DEFAULT_CRAWL_SETTINGS,
      concurrency: config.crawl.concurrency,
      maxDepth: config.crawl.maxDepth,
      limits: {
        ...DEFAULT_CRAWL_SETTINGS.limits,
        timeoutMs: config.crawl.timeoutMs,
        maxBytes: config.crawl.maxPageBytes,
        allowPrivateNetworks: config.crawl.allowPrivateNetworks,
      },
    },
  };
  // Saved under the data directory so that a restart reads each tenant's index from disk.
  const lexicalIndexes = new LexicalIndexCache({
    snapshotDir: join(options.dataDir, 'lexical-index'),
    onSnapshotError: (error, tenantId) =>
      log.warn({ err: error, tenantId }, 'could not save the lexical index snapshot'),
  });
  const warming = new AbortController();
  let warmed: Promise<unknown> = Promise.resolve();
  const retriever = createHybridRetriever({
    db,
    embedder,
    vectors,
    lexicalIndexes,
    threshold: config.relevanceThreshold,
    log,
    ...(options.expansion ? { expansion: options.expansion } : {}),
  });
  const websites = createWebsiteService(deps);
  const scheduler = createKnowledgeScheduler({ deps, websites });
  return {
    deps,
    retriever,
    documents: createDocumentService(deps),
    websites,
    description: `${embedder.model} + ${vectors.kind}`,
    async start() {
      if (qdrant) {
        // Not fatal: retrieval falls back to lexical while Qdrant is unreachable.
        await qdrant.ensureCollection().catch((error: unknown) => {
          log.error(
            { err: error, url: config.qdrantUrl },
            'Qdrant is unreachable; vector search is off until it answers',
          );
        });
      }
    },
    async startBackground() {
      scheduler.start();
      warmed = allTenantIds(deps)
        .then((tenantIds) =>
          warmLexicalIndexes({ db, cache: lexicalIndexes, tenantIds, signal: warming.signal, log }),
        )
        .catch((error: unknown) => log.warn({ err: error }, 'could not load the lexical indexes'));
      await backfillStaleVectors(deps).catch((error: unknown) =>
        log.warn({ err: error }, 'could not start embedding chunks without vectors'),
      );
    },
    rebuild: (tenantId, scope, kind = 'reembed') => startRebuild(deps, tenantId, scope, kind),
    async embedStale(tenantId) {
      try {
        await rebuildVectors(deps, tenantId, { scope: 'stale' })(
          silentProgress,
          new AbortController().signal,
        );
      } catch (error) {
        // The chunk is searchable lexically already; the next start embeds it.
        log.warn({ err: error, tenantId }, 'could not embed new chunks');
      }
    },
    async close() {
      scheduler.stop();
      warming.abort();
      await warmed;
      await lexicalIndexes.flush();
      await deps.runner.close();
    },
  };
}

/** Progress of work run inline, which no job row records. */
const silentProgress = { update() {}, add() {} };
