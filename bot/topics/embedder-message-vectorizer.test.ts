import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../knowledge/embed/embedder.ts';
import { createHashedEmbedder } from '../../knowledge/embed/hashed-embedder.ts';
import { silentLogger } from '../logger.ts';
import { createEmbedderMessageVectorizer } from './embedder-message-vectorizer.ts';
import { findTopics } from './find-topics.ts';

/** A stand-in embedding model that knows three concepts, whatever language they are written in. */
function conceptEmbedder(): Embedder & { calls: string[][] } {
  const concepts = [/colis|livraison|parcel|delivery/i, /rembours|refund/i, /taille|size/i];
  const calls: string[][] = [];
  return {
    model: 'concept-embedder',
    dimensions: 4,
    fusionWeight: 1,
    calls,
    async embedChunks(chunks) {
      calls.push(chunks.map((chunk) => chunk.content));
      return chunks.map((chunk) => {
        const vector = concepts.map((concept) => (concept.test(chunk.content) ? 1 : 0));
        return [...vector, vector.some(Boolean) ? 0 : 1];
      });
    },
    async embedQuery() {
      return [0, 0, 0, 1];
    },
    relevance: (cosine) => Math.min(1, Math.max(0, (cosine - 0.2) / 0.4)),
  };
}

describe('createEmbedderMessageVectorizer', () => {
  it("cuts topics where the embedder's relevance crosses one half", () => {
    expect(createEmbedderMessageVectorizer(conceptEmbedder()).linkSimilarity).toBeCloseTo(0.4, 6);
    // The offline embedder's scale: (cosine - 0.12) / 0.3.
    expect(createEmbedderMessageVectorizer(createHashedEmbedder()).linkSimilarity).toBeCloseTo(0.27, 6);
  });

  it('clusters by meaning across languages when the model knows it', async () => {
    const embedder = conceptEmbedder();
    const messages = [
      'Où est mon colis ?',
      'Where is my parcel?',
      'Delivery is late',
      'Je veux un remboursement',
      'Refund please, the item broke',
      'I need a refund for the shoes',
    ].map((text, i) => ({ id: `e${i}`, text }));
    const found = await findTopics(messages, {
      vectorizer: createEmbedderMessageVectorizer(embedder),
      log: silentLogger,
    });
    expect(found.topics.map((topic) => topic.messageIds.sort())).toEqual([
      ['e0', 'e1', 'e2'],
      ['e3', 'e4', 'e5'],
    ]);
    expect(embedder.calls).toEqual([messages.map((message) => message.text)]);
    // "colis", "parcel" and "delivery" are each written once: the topic still gets keywords.
    expect(found.topics[0]?.keywords).toEqual(expect.arrayContaining(['colis', 'parcel', 'delivery']));
  });
});
