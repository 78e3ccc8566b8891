import type { Db } from '../../db/database.ts';
import { createHybridRetriever } from './hybrid-retriever.ts';
import type { Retriever } from './retrieval-hit.ts';

/** Retrieval without vectors: BM25F with typo correction and title similarity only. */
export function createLexicalRetriever(db: Db, threshold?: number): Retriever {
  return createHybridRetriever({ db, threshold });
}
