import type { Tx } from '../../db/database.ts';

/** A chunk's vector on its way to a store, with what the store filters on. */
export interface VectorPoint {
  chunkId: string;
  vector: number[];
  sourceType: string;
  sourceId: string | null;
  /** The chunk text, kept beside the vector where the store keeps payloads (Qdrant). */
  content: string;
}

export interface VectorMatch {
  chunkId: string;
  /** Cosine similarity, in [-1, 1]. */
  similarity: number;
}

export interface VectorQuery {
  vector: number[];
  /** Only vectors of this embedding model are comparable with the query's. */
  model: string;
  limit: number;
  /** The caller's transaction was opened with `transactionSettings(limit)` already. */
  settingsApplied?: boolean;
}

/**
 * Where chunk vectors are kept and searched: pgvector in the chunks' own rows (the default), or
 * Qdrant. Every operation is scoped to one tenant; no call can reach another tenant's points.
 */
export interface VectorStore {
  readonly kind: 'pgvector' | 'qdrant';
  /** True when vectors are written in knowledge_chunks.embedding with the rows themselves. */
  readonly inRow: boolean;
  /** Stores points outside Postgres; called before the chunks' transaction, so a failure aborts it. */
  upsert(tenantId: string, model: string, points: VectorPoint[]): Promise<void>;
  /** Forgets points whose chunks were deleted; called after the deleting transaction commits. */
  remove(tenantId: string, chunkIds: string[]): Promise<void>;
  /** Forgets every point of a tenant (before a rebuild). */
  removeTenant(tenantId: string): Promise<void>;
  /**
   * Settings the search needs in its transaction (pgvector's planner settings), for a caller that
   * opens that transaction to set them as it opens it rather than by a statement of their own.
   */
  transactionSettings?(limit: number): Record<string, string>;
  /** Nearest chunks of the tenant whose transaction `tx` is (pgvector searches in it). */
  search(tx: Tx, tenantId: string, query: VectorQuery): Promise<VectorMatch[]>;
  /** search() for several queries at once, where the store can do them together; in their order. */
  searchMany?(tx: Tx, tenantId: string, queries: VectorQuery[]): Promise<VectorMatch[][]>;
}

/** The vector store refused or did not answer; the message says which store and why. */
export class VectorStoreError extends Error {
  readonly code = 'CAUSETTE_ERR_VECTOR_STORE';
}
