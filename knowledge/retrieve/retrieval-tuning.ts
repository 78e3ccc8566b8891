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
  /**
   * Added to the fused score per unit of the share of the question a chunk covers: reciprocal
   * rank fusion sees only ranks, and a chunk that answers every word of the question (a place
   * through its region, a synonym) must not lose to one whose vector is merely a little closer.
   */
  coverageBonus: number;
}

export const DEFAULT_RETRIEVAL_TUNING: RetrievalTuning = {
  lexicalCandidates: 100,
  denseCandidates: 40,
  titleSimilarity: 1,
  fusionK: 10,
  otherLanguage: 0.9,
  coverageBonus: 0.1,
};
