import type { Tx } from '../../db/database.ts';
import type { Language } from '../text/detect-language.ts';

/** Where an answer came from, as shown to the visitor. */
export interface Citation {
  title: string;
  url?: string;
  filename?: string;
}

export interface RetrievalHit {
  chunkId: string;
  sourceType: string;
  sourceId: string | null;
  title: string | null;
  content: string;
  lang: Language | null;
  /** Relevance in [0, 1]; comparable across queries, so a fixed threshold means something. */
  score: number;
  citation: Citation;
}

export interface RetrieveOptions {
  /** How many hits at most (default 5). */
  limit?: number;
  /** The visitor's language, when known: chunks in it win ties against their translations. */
  lang?: Language | undefined;
  /**
   * Words the conversation carries over (a follow-up's topic: "livraison" for "et pour la
   * Suisse ?"), searched with the question's own but counting less than them.
   */
  context?: string | undefined;
}

/** Finds the passages of a tenant's knowledge that answer a question. */
export interface Retriever {
  /** Hits above the relevance threshold, best first; empty means "nothing relevant". */
  retrieve(tenantId: string, query: string, options?: RetrieveOptions): Promise<RetrievalHit[]>;
  /**
   * The same, inside the caller's transaction `tx` (scoped to the tenant), for a turn answered in
   * the transaction that stores its message. Offered only when retrieval calls nothing outside
   * the process (no remote embedder or vector store): a transaction must not wait on the network.
   */
  retrieveIn?:
    | ((tx: Tx, tenantId: string, query: string, options?: RetrieveOptions) => Promise<RetrievalHit[]>)
    | undefined;
}
