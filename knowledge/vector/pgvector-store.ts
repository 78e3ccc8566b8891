import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import type { VectorMatch, VectorStore } from './vector-store.ts';

/** Candidates the HNSW search keeps per query; above the fused ranking's needs, below costly. */
const EF_SEARCH = 40;
/** Searches joined in one statement, at most: the statement's text, prepared, is one of this many. */
const SEARCHES_PER_STATEMENT = 16;

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
  const searchMany: NonNullable<VectorStore['searchMany']> = async (tx, _tenantId, queries) => {
    if (queries.length === 0) return [];
    // Sent first (a drizzle query starts when awaited) and not waited for: the transaction runs
    // its statements in the order they were sent.
    const unset = queries.find((query) => !query.settingsApplied);
    const settings = unset
      ? tx
          .execute(
            sql`select ${sql.join(
              Object.entries(transactionSettings(Math.max(...queries.map((q) => q.limit)))).map(
                ([name, value]) => sql`set_config(${name}, ${value}, true)`,
              ),
              sql`, `,
            )}`,
          )
          .then(() => undefined)
      : undefined;
    // One statement of a branch per query: each branch is an HNSW scan of its own (rescanning
    // one scan per query, as a lateral join would, defeats pgvector's iterative scans).
    const searches: Promise<{ q: number; id: string; distance: number | string }[]>[] = [];
    for (let from = 0; from < queries.length; from += SEARCHES_PER_STATEMENT) {
      const branches = queries.slice(from, from + SEARCHES_PER_STATEMENT).map((query, i) => {
        // The vector is sent once: ordering by the selected distance still walks the index.
        const literal = vectorLiteral(query.vector);
        return sql`(select ${from + i}::int as q, id, embedding <=> ${literal}::vector as distance
            from knowledge_chunks
            where embedding is not null and embedding_model = ${query.model}
            order by distance
            limit ${query.limit})`;
      });
      searches.push(queryRows(tx, sql.join(branches, sql` union all `)));
    }
    const [rows] = await Promise.all([Promise.all(searches), settings]);
    const matches = queries.map((): VectorMatch[] => []);
    for (const row of rows.flat()) {
      matches[Number(row.q)]?.push({ chunkId: row.id, similarity: 1 - Number(row.distance) });
    }
    // Relaxed ordering may return neighbours slightly out of order.
    for (const list of matches) list.sort((a, b) => b.similarity - a.similarity);
    return matches;
  };
  return {
    kind: 'pgvector',
    inRow: true,
    async upsert() {},
    async remove() {},
    async removeTenant() {},
    transactionSettings,
    async search(tx, tenantId, query) {
      const [matches] = await searchMany(tx, tenantId, [query]);
      return matches ?? [];
    },
    searchMany,
  };
}

/**
 * A vector as pgvector's text input, rounded to five decimals: a cosine of unit vectors moves by
 * less than 1e-4, the text is half as long, and zeros (most of an offline query's components)
 * cost one character. Written by hand: it runs for every question asked.
 */
export function vectorLiteral(vector: readonly number[]): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    if (i > 0) text += ',';
    text += x === 0 ? '0' : String(Math.round(x * 100_000) / 100_000);
  }
  return `${text}]`;
}
