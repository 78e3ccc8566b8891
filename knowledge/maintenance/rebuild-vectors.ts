import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { EMBED_BATCH } from '../ingest/index-chunks.ts';
import type { JobWork } from '../jobs/job-runner.ts';
import type { KnowledgeDeps } from '../knowledge-deps.ts';

export interface RebuildOptions {
  /**
   * 'stale': only chunks without a vector of the current model (after a change of model, or
   * chunks written without one); 'all': every chunk, and with Qdrant the tenant's points are
   * dropped first, so the collection is rebuilt from knowledge_chunks alone.
   */
  scope: 'stale' | 'all';
}

interface ChunkRow extends Record<string, unknown> {
  id: string;
  title: string | null;
  content: string;
  source_type: string;
  source_id: string | null;
}

/**
 * The work of a re-embedding (or reindexing) job for one tenant: chunks are read from
 * knowledge_chunks, the source of truth, in batches, embedded with the current model, and written
 * to the vector store: into their own rows with pgvector, as points with Qdrant (then flagged
 * indexed_in_qdrant). Each batch commits on its own, so an interrupted rebuild resumes where it
 * stopped when run again with scope 'stale'.
 */
export function rebuildVectors(deps: KnowledgeDeps, tenantId: string, options: RebuildOptions): JobWork {
  return async (progress, signal) => {
    const { embedder, vectors } = deps;
    if (!embedder || !vectors) return;
    progress.update({ phase: 'counting' });
    if (options.scope === 'all' && !vectors.inRow) await vectors.removeTenant(tenantId);
    const stale = options.scope === 'stale';
    const needs = stale
      ? vectors.inRow
        ? sql`(embedding is null or embedding_model is distinct from ${embedder.model})`
        : sql`(not coalesce(indexed_in_qdrant, false) or embedding_model is distinct from ${embedder.model})`
      : sql`true`;
    const [total] = await withTenant(deps.db, tenantId, (tx) =>
      queryRows<{ n: number | string }>(tx, sql`select count(*) as n from knowledge_chunks where ${needs}`),
    );
    progress.update({ phase: 'embedding', chunksTotal: Number(total?.n ?? 0) });
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      signal.throwIfAborted();
      const batch = await withTenant(deps.db, tenantId, (tx) =>
        queryRows<ChunkRow>(
          tx,
          sql`select id, title, content, source_type, source_id from knowledge_chunks
              where ${needs} and id > ${after}::uuid order by id limit ${EMBED_BATCH}`,
        ),
      );
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      const embedded = await embedder.embedChunks(batch, signal);
      if (!vectors.inRow) {
        await vectors.upsert(
          tenantId,
          embedder.model,
          batch.map((chunk, i) => ({
            chunkId: chunk.id,
            vector: embedded[i]!,
            sourceType: chunk.source_type,
            sourceId: chunk.source_id,
            content: chunk.content,
          })),
        );
      }
      const values = JSON.stringify(
        batch.map((chunk, i) => ({ id: chunk.id, v: vectors.inRow ? `[${embedded[i]!.join(',')}]` : null })),
      );
      await withTenant(deps.db, tenantId, (tx) =>
        tx.execute(sql`
          update knowledge_chunks c
          set embedding = x.v::vector, embedding_model = ${embedder.model},
              indexed_in_qdrant = ${!vectors.inRow}
          from json_to_recordset(${values}::json) as x(id uuid, v text)
          where c.id = x.id
        `),
      );
      progress.add({ chunksIndexed: batch.length });
    }
    progress.update({ phase: 'done' });
  };
}
