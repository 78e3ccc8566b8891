import type { Embedder } from '../../knowledge/embed/embedder.ts';
import type { MessageVectorizer } from './message-vectorizer.ts';

/**
 * Vectors from the knowledge side's embedder (OpenAI or compatible), which knows that "colis" and
 * "livraison" are related where TF-IDF only sees spelling. Each embedder maps its cosines to a
 * relevance on a common scale; topics are cut where that relevance crosses one half, so no
 * threshold is tuned per model here.
 */
export function createEmbedderMessageVectorizer(embedder: Embedder): MessageVectorizer {
  return {
    method: embedder.model,
    lexical: false,
    linkSimilarity: cosineAtRelevance(embedder, 0.5),
    async vectorize(texts, signal) {
      return embedder.embedChunks(
        texts.map((content) => ({ title: null, content })),
        signal,
      );
    },
  };
}

/** The cosine at which the embedder's relevance reaches `target` (relevance grows with cosine). */
function cosineAtRelevance(embedder: Embedder, target: number): number {
  let low = -1;
  let high = 1;
  for (let i = 0; i < 40; i += 1) {
    const middle = (low + high) / 2;
    if (embedder.relevance(middle) < target) low = middle;
    else high = middle;
  }
  return high;
}
