import type { Db } from '../../db/database.ts';
import { createHybridRetriever, DEFAULT_RELEVANCE_THRESHOLD } from './hybrid-retriever.ts';
import type { Retriever } from './retrieval-hit.ts';

export { DEFAULT_RELEVANCE_THRESHOLD };

/** Retrieval without vectors: BM25F with typo correction and title similarity only. */
export function createLexicalRetriever(db: Db, threshold = DEFAULT_RELEVANCE_THRESHOLD): Retriever {
  return createHybridRetriever({ db, threshold });
}
