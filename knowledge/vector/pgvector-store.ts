import { sql } from 'drizzle-orm';
import { queryRows } from '../../migrations/database.ts';
import type { VectorStore } from './vector-store.ts';

/** Candidates the HNSW search keeps per query; above the fused ranking's needs, below costly. */
const EF_SEARCH = 40;

/**
 * Vectors in knowledge_chunks.embedding, searched through its HNSW index inside the caller's
 * tenant transaction, so row level security filters the neighbours to the tenant's own chunks.
 * Iterative index scans keep looking when a big neighbour tenant fills the first candidates.
 */
export function createPgvectorStore(): VectorStore {
  // Without sorting allowed, the only plan left is the HNSW index scan: the planner would
  // otherwise read every chunk of the tenant through the tenant index and sort them all by
  // distance, which it favours when its statistics are stale (embedded Postgres has no
  // autovacuum) or when one tenant owns most rows. The settings are local to the retrieval's
  // transaction, whose other statements sort nothing.
  const transactionSettings = (limit: number) => ({
    'hnsw.ef_search': String(Math.max(EF_SEARCH, limit)),
    'hnsw.iterative_scan': 'relaxed_order',
    enable_sort: 'off',
  });
  return {
    kind: 'pgvector',
    inRow: true,
    async upsert() {},
    async remove() {},
    async removeTenant() {},
    transactionSettings,
    async search(tx, _tenantId, query) {
      // Sent first (a drizzle query starts when awaited) and not waited for: the transaction runs
      // its statements in the order they were sent.
      const settings = query.settingsApplied
        ? undefined
        : tx
            .execute(
              sql`select ${sql.join(
                Object.entries(transactionSettings(query.limit)).map(
                  ([name, value]) => sql`set_config(${name}, ${value}, true)`,
                ),
                sql`, `,
              )}`,
            )
            .then(() => undefined);
      // Five significant digits move a cosine by less than 1e-4 and halve the text to parse. The
      // vector is sent once: ordering by the selected distance still walks the HNSW index.
      const literal = `[${query.vector.map((x) => Number(x.toPrecision(5))).join(',')}]`;
      const [rows] = await Promise.all([
        queryRows<{ id: string; distance: number | string }>(
          tx,
          sql`select id, embedding <=> ${literal}::vector as distance
              from knowledge_chunks
              where embedding is not null and embedding_model = ${query.model}
              order by distance
              limit ${query.limit}`,
        ),
        settings,
      ]);
      // Relaxed ordering may return neighbours slightly out of order.
      return rows
        .map((row) => ({ chunkId: row.id, similarity: 1 - Number(row.distance) }))
        .sort((a, b) => b.similarity - a.similarity);
    },
  };
}
