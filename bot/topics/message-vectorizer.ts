import type { MessageVector } from './message-vector.ts';

/** Turns the messages of a day into vectors, and says how similar two of a topic are in that space. */
export interface MessageVectorizer {
  /** Recorded with each run: "tfidf", or the embedding model. */
  readonly method: string;
  /** The average cosine similarity from which messages share a topic, in this vector space. */
  readonly linkSimilarity: number;
  /** Similar by spelling only (TF-IDF), not by meaning: a cluster sharing no word is a fluke. */
  readonly lexical: boolean;
  vectorize(texts: readonly string[], signal?: AbortSignal): Promise<MessageVector[]>;
}
