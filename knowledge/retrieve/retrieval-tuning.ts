export interface RetrievalTuning {
  /** Lexical candidates ranked (and reranked by title similarity). */
  lexicalCandidates: number;
  /** Nearest neighbours asked of the vector store. */
  denseCandidates: number;
  /** Weight of the title's trigram similarity to the question, against the normalised BM25F. */
  titleSimilarity: number;
  /** The k of reciprocal rank fusion. */
  fusionK: number;
  /** A chunk in another language than the visitor's keeps this share of its fused rank and of its lexical score. */
  otherLanguage: number;
}

export const DEFAULT_RETRIEVAL_TUNING: RetrievalTuning = {
  lexicalCandidates: 100,
  denseCandidates: 40,
  titleSimilarity: 1,
  fusionK: 10,
  otherLanguage: 0.9,
};
