import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
  vector,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamps, tsvector } from './columns.ts';
import { EMBEDDING_DIMENSIONS } from './embedding-dimensions.ts';
import { tenantPolicies } from './tenant-policy.ts';
import { tenants } from './tenants.ts';

/** Uploaded files (PDF, DOCX, Markdown, HTML, text) kept under the data directory. */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    filename: varchar({ length: 500 }).notNull(),
    filePath: varchar({ length: 1000 }).notNull(),
    fileSize: integer(),
    mimeType: varchar({ length: 100 }),
    /** pending → processed, or failed with `error`. */
    status: varchar({ length: 50 }).default('pending').notNull(),
    chunkCount: integer().default(0).notNull(),
    /** Why processing failed, in words an admin can act on; null unless status is failed. */
    error: text(),
    /** SHA-256 of the file, so an identical upload is recognised. */
    contentHash: varchar({ length: 64 }),
    processedAt: timestamp({ withTimezone: true }),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    ...timestamps(),
  },
  (t) => [
    index('idx_documents_tenant').on(t.tenantId),
    index('idx_documents_status').on(t.status),
    ...tenantPolicies(),
  ],
).enableRLS();

export const websiteSources = pgTable(
  'website_sources',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    baseUrl: varchar({ length: 500 }).notNull(),
    maxPages: integer().default(50).notNull(),
    crawlFrequency: varchar({ length: 50 }).default('manual').notNull(),
    lastCrawledAt: timestamp({ withTimezone: true }),
    /** pending, crawling, completed or failed. */
    status: varchar({ length: 50 }).default('pending').notNull(),
    /** Pages of the source that are currently indexed. */
    pagesCrawled: integer().default(0).notNull(),
    /** Why the last crawl failed; null after a successful one. */
    error: text(),
    /** When the scheduler should crawl next; null for manual sources. */
    nextCrawlAt: timestamp({ withTimezone: true }),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    ...timestamps(),
  },
  (t) => [
    unique('website_sources_tenant_url').on(t.tenantId, t.baseUrl),
    index('idx_website_sources_next_crawl').on(t.nextCrawlAt),
    index('idx_website_sources_tenant').on(t.tenantId),
    index('idx_website_sources_status').on(t.status),
    ...tenantPolicies(),
  ],
).enableRLS();

export const websitePages = pgTable(
  'website_pages',
  {
    id: id(),
    websiteSourceId: uuid()
      .notNull()
      .references(() => websiteSources.id, { onDelete: 'cascade' }),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: varchar({ length: 1000 }).notNull(),
    title: varchar({ length: 500 }),
    content: text(),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    chunkCount: integer().default(0).notNull(),
    /** indexed or failed (with `error`). */
    status: varchar({ length: 50 }).default('indexed').notNull(),
    error: text(),
    httpStatus: integer(),
    /** SHA-256 of the extracted text: a re-crawl re-indexes only pages whose hash changed. */
    contentHash: varchar({ length: 64 }),
    /** When a crawl last reached this page; pages a complete crawl no longer reaches are removed. */
    crawledAt: timestamp({ withTimezone: true }).defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('website_pages_source_url').on(t.websiteSourceId, t.url),
    index('idx_website_pages_source').on(t.websiteSourceId),
    index('idx_website_pages_tenant').on(t.tenantId),
    ...tenantPolicies(),
  ],
).enableRLS();

/** Question/answer pairs the tenant maintains by hand; each one is also a knowledge chunk. */
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    question: text().notNull(),
    answer: text().notNull(),
    lang: varchar({ length: 8 }).default('fr').notNull(),
    /** Entries that are translations of one another share a key. */
    groupKey: varchar({ length: 100 }),
    /**
     * Other ways customers asked this question, which operators linked to the answer: searched
     * like the question itself (the chunk's `questions`), never shown.
     */
    alternativeQuestions: text().array().default(sql`'{}'::text[]`).notNull(),
    ...timestamps(),
  },
  (t) => [index('idx_faq_entries_tenant').on(t.tenantId), ...tenantPolicies()],
).enableRLS();

/**
 * Language-aware, accent-insensitive text of a chunk: French or English stemming by the chunk's
 * language, the title weighted above the body. The other ways of asking its question
 * (`questions`) count as body: as title words they blurred entries more than they helped (see
 * docs/benchmarks.md). The `causette_*` configurations come from the first custom migration.
 */
function chunkSearchVector(): SQL {
  // Each branch names its configuration as a constant: a text-to-regconfig cast of a column
  // would not be immutable, and generated columns must be.
  const weighted = (config: string) =>
    sql.raw(
      `setweight(to_tsvector('${config}'::regconfig, coalesce(title, '')), 'A') || ` +
        `setweight(to_tsvector('${config}'::regconfig, content || ' ' || coalesce(questions, '')), 'B')`,
    );
  return sql`case lang when 'en' then ${weighted('causette_en')} when 'fr' then ${weighted('causette_fr')} else ${weighted('causette_simple')} end`;
}

/** Retrievable text from any source. These rows are the source of truth for every index. */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sourceType: varchar({ length: 50 }).notNull(),
    sourceId: uuid(),
    title: text(),
    /** Other wordings of the question the chunk answers (an FAQ entry's alternatives), one a line. */
    questions: text(),
    content: text().notNull(),
    lang: varchar({ length: 8 }),
    metadata: jsonb().$type<Record<string, unknown>>().default({}).notNull(),
    embeddingModel: varchar({ length: 100 }).default('text-embedding-3-small'),
    indexedInQdrant: boolean().default(false),
    /** The chunk's vector when pgvector is the vector store; null with Qdrant or before embedding. */
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }),
    searchVector: tsvector().generatedAlwaysAs(chunkSearchVector()),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_chunks_tenant').on(t.tenantId),
    index('idx_chunks_source').on(t.sourceType, t.sourceId),
    index('idx_chunks_qdrant').on(t.indexedInQdrant),
    index('idx_chunks_search').using('gin', t.searchVector),
    index('idx_chunks_embedding').using('hnsw', t.embedding.op('vector_cosine_ops')),
    ...tenantPolicies(),
  ],
).enableRLS();

/**
 * Every distinct word (lower-cased, unaccented) in a tenant's chunks, with how many chunks hold it.
 * Triggers on knowledge_chunks keep it current. Retrieval uses it to correct typos by trigram
 * similarity before the full-text search.
 */
export const knowledgeTerms = pgTable(
  'knowledge_terms',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    term: varchar({ length: 64 }).notNull(),
    chunkCount: integer().default(0).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.term] }),
    index('idx_knowledge_terms_trgm').using('gin', t.term.op('gin_trgm_ops')),
    ...tenantPolicies(),
  ],
).enableRLS();

/**
 * A counter per tenant, raised by every statement that changes its chunks (triggers in the custom
 * migrations). The row lock it takes orders concurrent writers, so revisions are in commit order
 * and an in-process index can catch up by reading the changes after the revision it holds.
 */
export const knowledgeRevisions = pgTable(
  'knowledge_revisions',
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    revision: bigint({ mode: 'number' }).default(0).notNull(),
  },
  () => [...tenantPolicies()],
).enableRLS();

/** Which chunks each revision added ('i') or removed ('d'); the oldest are pruned by the trigger. */
export const knowledgeChanges = pgTable(
  'knowledge_changes',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    revision: bigint({ mode: 'number' }).notNull(),
    chunkId: uuid().notNull(),
    change: char({ length: 1 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.revision, t.chunkId, t.change] }), ...tenantPolicies()],
).enableRLS();

/**
 * Long knowledge work (a crawl, a document's ingestion, a re-embedding) and its live counters, so
 * the admin API and the CLI can show progress, from any server process.
 */
export const knowledgeJobs = pgTable(
  'knowledge_jobs',
  {
    id: id(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** crawl, ingest, reembed or reindex. */
    kind: varchar({ length: 50 }).notNull(),
    /** The document or website source worked on; null for tenant-wide work. */
    sourceId: uuid(),
    /** queued, running, succeeded or failed. */
    status: varchar({ length: 50 }).default('queued').notNull(),
    /** What the job is doing now, e.g. "fetching", "embedding". */
    phase: varchar({ length: 50 }),
    pagesFound: integer().default(0).notNull(),
    pagesCrawled: integer().default(0).notNull(),
    pagesFailed: integer().default(0).notNull(),
    pagesUnchanged: integer().default(0).notNull(),
    chunksTotal: integer().default(0).notNull(),
    chunksIndexed: integer().default(0).notNull(),
    error: text(),
    /** Refreshed while the job runs; a running job whose heartbeat stopped was abandoned. */
    heartbeatAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index('idx_knowledge_jobs_tenant').on(t.tenantId, t.createdAt.desc()),
    index('idx_knowledge_jobs_source').on(t.sourceId),
    ...tenantPolicies(),
  ],
).enableRLS();
