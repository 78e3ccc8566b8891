import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { knowledgeChunks } from '../../migrations/schema/index.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { KnowledgeLogger } from '../knowledge-logger.ts';
import type { VectorStore } from '../vector/vector-store.ts';
import type { PreparedChunk } from './chunk-markdown.ts';

/** What indexing needs: the database, and the embedder and vector store when vectors are on. */
export interface IndexingDeps {
  db: Db;
  embedder?: Embedder | undefined;
  vectors?: VectorStore | undefined;
  log: KnowledgeLogger;
}

export interface SourceRef {
  type: 'document' | 'website' | 'faq';
  id: string;
}

/** Chunks embedded per request to the embedder, and the unit of "chunks indexed" progress. */
export const EMBED_BATCH = 64;

export interface IndexOptions {
  /** Called as chunks are embedded, with the count so far. */
  onProgress?: (chunksIndexed: number) => void;
  signal?: AbortSignal;
  /** More writes for the same transaction (the source's status and counters). */
  alsoInTransaction?: (tx: Tx, chunkCount: number) => Promise<void>;
}

/**
 * Replaces a source's chunks with new ones, all or nothing. Vectors are computed first; with an
 * external store (Qdrant) they are stored before the transaction, so a store that is down fails
 * the source before anything changes. The rows then replace the old ones in one transaction, and
 * the old points are removed from the external store once it has committed.
 */
export async function replaceSourceChunks(
  deps: IndexingDeps,
  tenantId: string,
  source: SourceRef,
  chunks: PreparedChunk[],
  options: IndexOptions = {},
): Promise<{ chunkCount: number }> {
  const ids = chunks.map(() => randomUUID());
  const vectors = await embedAll(deps, chunks, options);
  const external = deps.vectors && !deps.vectors.inRow && vectors ? deps.vectors : undefined;
  if (external && vectors && deps.embedder) {
    await external.upsert(
      tenantId,
      deps.embedder.model,
      chunks.map((chunk, i) => ({
        chunkId: ids[i]!,
        vector: vectors[i]!,
        sourceType: source.type,
        sourceId: source.id,
        content: chunk.content,
      })),
    );
  }
  let removed: string[] = [];
  try {
    await withTenant(deps.db, tenantId, async (tx) => {
      removed = await deleteSourceChunks(tx, source);
      for (let i = 0; i < chunks.length; i += 500) {
        await tx.insert(knowledgeChunks).values(
          chunks.slice(i, i + 500).map((chunk, j) => {
            const n = i + j;
            const vector = vectors?.[n];
            return {
              id: ids[n]!,
              tenantId,
              sourceType: source.type,
              sourceId: source.id,
              title: chunk.title,
              content: chunk.content,
              lang: chunk.lang,
              metadata: chunk.metadata,
              embeddingModel: vector ? deps.embedder!.model : null,
              embedding: vector && deps.vectors?.inRow ? vector : null,
              indexedInQdrant: Boolean(vector && external),
            };
          }),
        );
      }
      await options.alsoInTransaction?.(tx, chunks.length);
    });
  } catch (error) {
    if (external) await forget(deps, external, tenantId, ids);
    throw error;
  }
  if (external) await forget(deps, external, tenantId, removed);
  return { chunkCount: chunks.length };
}

/** Deletes a source's chunks in the caller's transaction; returns their ids. */
export async function deleteSourceChunks(tx: Tx, source: SourceRef): Promise<string[]> {
  const rows = await tx
    .delete(knowledgeChunks)
    .where(and(eq(knowledgeChunks.sourceType, source.type), eq(knowledgeChunks.sourceId, source.id)))
    .returning({ id: knowledgeChunks.id });
  return rows.map((row) => row.id);
}

/** Deletes chunks of several sources at once (a website's pages); returns their ids. */
export async function deleteChunksOfSources(
  tx: Tx,
  type: SourceRef['type'],
  sourceIds: string[],
): Promise<string[]> {
  if (sourceIds.length === 0) return [];
  const rows = await tx
    .delete(knowledgeChunks)
    .where(
      and(
        eq(knowledgeChunks.sourceType, type),
        sql`${knowledgeChunks.sourceId} = any(${`{${sourceIds.join(',')}}`}::uuid[])`,
      ),
    )
    .returning({ id: knowledgeChunks.id });
  return rows.map((row) => row.id);
}

/** Removes points from an external store, logging instead of failing: search ignores orphans. */
export async function forget(deps: IndexingDeps, store: VectorStore, tenantId: string, chunkIds: string[]) {
  if (chunkIds.length === 0 || store.inRow) return;
  try {
    await store.remove(tenantId, chunkIds);
  } catch (error) {
    deps.log.warn(
      { err: error, store: store.kind, tenantId, points: chunkIds.length },
      'could not remove vectors; they are ignored by search and dropped by the next reindex',
    );
  }
}

async function embedAll(deps: IndexingDeps, chunks: PreparedChunk[], options: IndexOptions) {
  if (!deps.embedder || !deps.vectors) {
    options.onProgress?.(chunks.length);
    return undefined;
  }
  const vectors: number[][] = [];
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
    options.signal?.throwIfAborted();
    vectors.push(...(await deps.embedder.embedChunks(chunks.slice(i, i + EMBED_BATCH), options.signal)));
    options.onProgress?.(vectors.length);
  }
  return vectors;
}
